"""Organisation pages under /org/ for the proposals committee's staff and administrators (thin views).

Least privilege: staff and administrators of a council (``access.access_council``) see its pages; the list
of councils and creating councils are for administrators. Everyone else gets "not found" (404), whether
the page or object exists or not. Every write calls an action of :mod:`lvzhi.members.actions` or
:mod:`lvzhi.workflow.actions`, which records an audit entry.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.workbooks import xlsx_download
from lvzhi.members import actions, exports, importing, queries
from lvzhi.members.access import SESSION_KEY, access_council, is_admin, profile_of, staff_councils
from lvzhi.members.choices import CouncilKind, OrganisationKind, Role
from lvzhi.members.forms import (
    AccountForm,
    CouncilCreateForm,
    GradeScaleForm,
    ImportForm,
    MemberForm,
    MemberImportForm,
    OrganisationForm,
    PasswordForm,
    PolicyForm,
    RenameForm,
    SessionForm,
    TermForm,
    UnitForm,
    add_domain_error,
)
from lvzhi.members.models import Council, HandlingUnit, Member, Organisation, Profile, Session, Term
from lvzhi.workflow import actions as wf_actions
from lvzhi.workflow.models import ReplyGrade

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
View = Callable[..., HttpResponseBase]


def council_view(admin_only: bool = False) -> Callable[[View], View]:
    """Resolve the ``cid`` URL argument to a council the user manages (else 404) and pass it on."""
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, cid: int, *args: Any, **kwargs: Any) -> HttpResponseBase:
            try:
                council = access_council(request.user, cid, admin_only=admin_only)
            except NotFoundError as exc:
                raise Http404(exc.message) from None
            return view(request, council, *args, **kwargs)
        return wrapper
    return decorator


def _get(qs: Any, **lookup: Any) -> Any:
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404(NotFoundError().message)
    return obj


def _staff_only(request: HttpRequest) -> None:
    if not staff_councils(request.user).exists():
        raise Http404(NotFoundError().message)


# ---------------------------------------------------------------------------------------------- overview


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Overview: for each council the user manages, its counts and links to its pages."""
    _staff_only(request)
    councils = staff_councils(request.user).annotate(
        n_terms=Count("terms", distinct=True),
        n_members=Count("members", filter=Q(members__active=True), distinct=True),
        n_units=Count("units", filter=Q(units__active=True), distinct=True),
    )
    profile = profile_of(request.user)
    return render(request, "members/home.html", {
        "councils": councils, "is_admin": is_admin(request.user),
        "may_create_council": profile is not None and profile.role == Role.ADMIN and profile.council_id is None,
    })


@login_required
def councils(request: HttpRequest) -> HttpResponse:
    """Administrators: the councils; an administrator without council also creates new ones."""
    profile = profile_of(request.user)
    if profile is None or profile.role != Role.ADMIN:
        raise Http404(NotFoundError().message)
    may_create = profile.council_id is None
    form = CouncilCreateForm(request.POST or None)
    if request.method == "POST":
        if not may_create:
            raise Http404(NotFoundError().message)
        if form.is_valid():
            try:
                council = actions.create_council(request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已创建机构「{council.name}」。")
                return redirect("org-policy", cid=council.pk)
    return render(request, "members/councils.html", {
        "councils": staff_councils(request.user), "form": form, "may_create": may_create})


@council_view()
def policy(request: HttpRequest, council: Council) -> HttpResponse:
    """The council's policy (case-number pattern, send-back / opinion limits, co-sign and at-risk days) and
    its reply-grade scale."""
    fields = [f for f in PolicyForm.base_fields]
    form = PolicyForm(request.POST or None, initial={f: getattr(council, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_council_policy(request.user, council, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "机构设置已保存。")
            return redirect("org-policy", cid=council.pk)
    return render(request, "members/policy.html", _policy_context(council, form, GradeScaleForm(
        initial={"scale": wf_actions.current_scale(council) or "abcd"})))


def _policy_context(council: Council, form: PolicyForm, scale_form: GradeScaleForm) -> dict[str, Any]:
    return {"council": council, "form": form, "scale_form": scale_form,
            "grades": ReplyGrade.objects.filter(council=council).order_by("-active", "order", "id"),
            "current_scale": wf_actions.SCALE_LABELS.get(wf_actions.current_scale(council) or "", "自定义")}


@require_POST
@council_view()
def grade_scale(request: HttpRequest, council: Council) -> HttpResponse:
    """Switch the council between the A/B/C/D and the 3-grade reply scale."""
    form = GradeScaleForm(request.POST)
    if form.is_valid():
        try:
            wf_actions.set_grade_scale(request.user, council, form.cleaned_data["scale"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"答复分类已改为：{wf_actions.SCALE_LABELS[form.cleaned_data['scale']]}。")
            return redirect("org-policy", cid=council.pk)
    policy_form = PolicyForm(initial={f: getattr(council, f) for f in PolicyForm.base_fields})
    return render(request, "members/policy.html", _policy_context(council, policy_form, form), status=400)


# ---------------------------------------------------------------------------------------------- terms, sessions


@council_view()
def terms(request: HttpRequest, council: Council) -> HttpResponse:
    """Terms with their sessions; creates a term."""
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            term = actions.create_term(request.user, council, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已创建{term}。")
            return redirect("org-terms", cid=council.pk)
    items = Term.objects.filter(council=council).prefetch_related("sessions")
    return render(request, "members/terms.html", {"council": council, "terms": items, "form": form})


@council_view()
def term_edit(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    term = _get(Term.objects, pk=pk, council=council)
    form = TermForm(request.POST or None, initial={"number": term.number, "start_date": term.start_date,
                                                   "end_date": term.end_date})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_term(request.user, term, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "届次已保存。")
            return redirect("org-terms", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"修改{term}", "back": ("org-terms", council.pk)})


@council_view()
def session_create(request: HttpRequest, council: Council, term_pk: int) -> HttpResponse:
    term = _get(Term.objects, pk=term_pk, council=council)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.create_session(request.user, term, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "会议已创建。")
            return redirect("org-terms", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"{term}：新建会议", "back": ("org-terms", council.pk)})


@council_view()
def session_edit(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    session = _get(Session.objects.select_related("term__council"), pk=pk, term__council=council)
    form = SessionForm(request.POST or None, initial={
        f: getattr(session, f) for f in ("number", "window_start", "plenary_start", "plenary_end")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_session(request.user, session, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "会议已保存。")
            return redirect("org-terms", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"修改{session}", "back": ("org-terms", council.pk)})


# ---------------------------------------------------------------------------------------------- organisations


@council_view()
def organisations(request: HttpRequest, council: Council) -> HttpResponse:
    """Sectors, party groups, people's organisations, special committees, liaison and member groups."""
    form = OrganisationForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        name, kind = form.cleaned_data["name"].strip(), form.cleaned_data["kind"]
        if Organisation.objects.filter(council=council, kind=kind, name=name).exists():
            form.add_error("name", f"「{name}」已存在。")
        else:
            try:
                actions.get_or_create_organisation(request.user, council, kind, name)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                messages.success(request, f"已添加「{name}」。")
                return redirect("org-organisations", cid=council.pk)
    orgs = Organisation.objects.filter(council=council).order_by("kind", "name")
    groups = [(label, [o for o in orgs if o.kind == value]) for value, label in OrganisationKind.choices]
    return render(request, "members/organisations.html", {"council": council, "groups": groups, "form": form})


@council_view()
def organisation_edit(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    org = _get(Organisation.objects, pk=pk, council=council)
    form = RenameForm(request.POST or None, initial={"name": org.name})
    if request.method == "POST" and form.is_valid():
        try:
            actions.rename_organisation(request.user, org, name=form.cleaned_data["name"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("org-organisations", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"修改{org.get_kind_display()}「{org.name}」",
        "back": ("org-organisations", council.pk)})


# ---------------------------------------------------------------------------------------------- members


@council_view()
def members(request: HttpRequest, council: Council) -> HttpResponse:
    """Members (委员) or, in a people's congress, deputies (代表), searched by name, organisation and
    workplace; filtered by term and sector (CPPCC) or delegation (people's congress)."""
    qs = queries.filter_members(council, request.GET)
    q = request.GET.get("q", "").strip()
    is_npc = council.kind == CouncilKind.NPC
    delegation_id = request.GET.get("delegation", "")
    term_id = request.GET.get("term", "")
    sector_id = request.GET.get("sector", "")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "members/members.html", {
        "council": council, "page": page, "q": q, "term_id": term_id, "sector_id": sector_id,
        "delegation_id": delegation_id, "is_npc": is_npc, "terms": Term.objects.filter(council=council),
        "sectors": Organisation.objects.filter(council=council, kind=OrganisationKind.SECTOR).order_by("name"),
        "delegations": Organisation.objects.filter(council=council, kind=OrganisationKind.DELEGATION),
        "query": params.urlencode()})


def _member_fields(form: MemberForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("name")
    data.pop("term")
    return data


@council_view()
def member_create(request: HttpRequest, council: Council) -> HttpResponse:
    latest = Term.objects.filter(council=council).order_by("-number").first()
    form = MemberForm(request.POST or None, council=council, initial={"term": latest.pk if latest else None})
    if request.method == "POST" and form.is_valid():
        try:
            member = actions.save_member(request.user, council, form.cleaned_data["term"],
                                         name=form.cleaned_data["name"], **_member_fields(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已添加委员「{member.name}」。")
            return redirect("org-members", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": "新增委员", "back": ("org-members", council.pk)})


@council_view()
def member_edit(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    member = _get(Member.objects, pk=pk, council=council)
    form = MemberForm(request.POST or None, council=council, initial=MemberForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_member(request.user, council, form.cleaned_data["term"], name=form.cleaned_data["name"],
                                member=member, **_member_fields(form))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"委员「{member.name}」已保存。")
            return redirect("org-members", cid=council.pk)
    account = Profile.objects.filter(member=member).select_related("user").first()
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"修改委员「{member.name}」", "back": ("org-members", council.pk),
        "member": member, "account": account})


def _import_page(request: HttpRequest, council: Council, form: Any, kind: str, title: str, done: str,
                 run: Callable[[dict[str, Any]], Any]) -> HttpResponse:
    """An Excel upload page (``kind`` ``members`` or ``units``): ``run(cleaned_data)`` imports and returns
    the report; on success back to the list, else the page again with every bad row (HTTP 400)."""
    report = None
    if request.method == "POST" and form.is_valid():
        report = run(form.cleaned_data)
        if report.ok:
            messages.success(request, f"{done}：{report.summary()}")
            return redirect(f"org-{kind}", cid=council.pk)
    return render(request, "members/import.html", {
        "council": council, "form": form, "report": report, "title": title,
        "template_url": f"org-{kind}-template", "back": (f"org-{kind}", council.pk)},
        status=400 if report is not None else 200)


@council_view()
def members_import(request: HttpRequest, council: Council) -> HttpResponse:
    """Upload a filled-in members template; every bad row is listed and nothing is imported then."""
    latest = Term.objects.filter(council=council).order_by("-number").first()
    form = MemberImportForm(request.POST or None, request.FILES or None, council=council,
                            initial={"term": latest.pk if latest else None})
    return _import_page(request, council, form, "members", "导入委员名单", "委员名单导入完成",
                        lambda data: importing.import_members(request.user, council, data["term"], data["file"]))


@login_required
def members_template(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    response = HttpResponse(importing.member_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%A7%94%E5%91%98%E5%90%8D%E5%8D%95.xlsx"
    return response


# ---------------------------------------------------------------------------------------------- units


@council_view()
def units(request: HttpRequest, council: Council) -> HttpResponse:
    show = request.GET.get("show", "active")
    return render(request, "members/units.html", {"council": council, "units": queries.list_units(council, request.GET),
                                                  "show": show})


@council_view()
def members_xlsx(request: HttpRequest, council: Council) -> HttpResponseBase:
    """The member list with the page's filters as an Excel file (the council's staff and administrators)."""
    qs = queries.filter_members(council, request.GET)
    label = "代表名单" if council.kind == CouncilKind.NPC else "委员名单"
    return xlsx_download(lambda f: exports.write_members(council, qs, f),
                         f"{label}-{timezone.localdate():%Y%m%d}.xlsx")


@council_view()
def units_xlsx(request: HttpRequest, council: Council) -> HttpResponseBase:
    """The unit list (active ones, or all with ``show=all``) as an Excel file."""
    qs = queries.list_units(council, request.GET)
    return xlsx_download(lambda f: exports.write_units(qs, f), f"承办单位-{timezone.localdate():%Y%m%d}.xlsx")


@council_view()
def unit_create(request: HttpRequest, council: Council) -> HttpResponse:
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = actions.save_unit(request.user, council, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已添加承办单位「{unit.name}」。")
            return redirect("org-unit-edit", cid=council.pk, pk=unit.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": "新增承办单位", "back": ("org-units", council.pk)})


@council_view()
def unit_edit(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    """Edit a unit; lists its accounts (clerks and leaders) with a link to add one."""
    unit = _get(HandlingUnit.objects, pk=pk, council=council)
    form = UnitForm(request.POST or None, initial={"name": unit.name, "short_name": unit.short_name,
                                                   "categories": unit.categories, "active": unit.active,
                                                   "doc_prefix": unit.doc_prefix, "doc_signer": unit.doc_signer})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_unit(request.user, council, unit=unit, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"承办单位「{unit.name}」已保存。")
            return redirect("org-unit-edit", cid=council.pk, pk=unit.pk)
    staff = Profile.objects.filter(unit=unit).select_related("user").order_by("role", "user__username")
    return render(request, "members/unit.html", {"council": council, "unit": unit, "form": form, "staff": staff})


@require_POST
@council_view()
def unit_active(request: HttpRequest, council: Council, pk: int) -> HttpResponse:
    unit = _get(HandlingUnit.objects, pk=pk, council=council)
    active = request.POST.get("active") == "1"
    actions.set_unit_active(request.user, unit, active)
    messages.success(request, f"承办单位「{unit.name}」已{'启用' if active else '停用'}。")
    return redirect("org-units", cid=council.pk)


@council_view()
def units_import(request: HttpRequest, council: Council) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    return _import_page(request, council, form, "units", "导入承办单位", "承办单位导入完成",
                        lambda data: importing.import_units(request.user, council, data["file"]))


@login_required
def units_template(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    response = HttpResponse(importing.unit_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%89%BF%E5%8A%9E%E5%8D%95%E4%BD%8D.xlsx"
    return response


# ---------------------------------------------------------------------------------------------- accounts


def _account(request: HttpRequest, council: Council, uid: int) -> Any:
    """An account of ``council`` the user may manage (admin accounts: administrators only), else 404."""
    user = _get(get_user_model().objects.distinct(), pk=uid, profile__council=council)
    if (Profile.objects.filter(user=user, council=council, role=Role.ADMIN).exists()
            and not is_admin(request.user, council.pk)):
        raise Http404(NotFoundError().message)
    return user


@council_view()
def accounts(request: HttpRequest, council: Council) -> HttpResponse:
    qs = Profile.objects.filter(council=council).select_related("user", "unit", "member").order_by(
        "role", "user__username")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(user__username__icontains=q) | Q(display_name__icontains=q) | Q(unit__name__icontains=q))
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role=role)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "members/accounts.html", {
        "council": council, "page": page, "q": q, "role": role, "roles": Role.choices, "query": params.urlencode(),
        "may_manage_admins": is_admin(request.user, council.pk)})


@council_view()
def account_create(request: HttpRequest, council: Council) -> HttpResponse:
    """Create a login with a role; ``?unit=ID`` or ``?member=ID`` preselects what it acts for."""
    may_create_admin = is_admin(request.user, council.pk)
    initial: dict[str, Any] = {}
    if request.GET.get("unit", "").isdigit():
        initial.update(unit=int(request.GET["unit"]), role=Role.UNIT_CLERK)
    if request.GET.get("member", "").isdigit():
        initial.update(member=int(request.GET["member"]), role=Role.MEMBER)
    form = AccountForm(request.POST or None, council=council, may_create_admin=may_create_admin, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        role = data["role"]
        try:
            user = actions.create_account(
                request.user, username=data["username"].strip(), password=data["password"], role=role,
                council=council, display_name=data["display_name"].strip(),
                member=data["member"] if role == Role.MEMBER else None,
                unit=data["unit"] if role in (Role.UNIT_CLERK, Role.UNIT_LEADER) else None)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"已创建账号「{user.username}」。")
            if role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
                return redirect("org-unit-edit", cid=council.pk, pk=data["unit"].pk)
            return redirect("org-accounts", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": "新建账号", "back": ("org-accounts", council.pk)})


@council_view()
def account_password(request: HttpRequest, council: Council, uid: int) -> HttpResponse:
    user = _account(request, council, uid)
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reset_password(request.user, user, form.cleaned_data["password"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, f"账号「{user.username}」的密码已重置。")
            return redirect("org-accounts", cid=council.pk)
    return render(request, "members/form.html", {
        "council": council, "form": form, "title": f"重置「{user.username}」的密码",
        "back": ("org-accounts", council.pk)})


@require_POST
@council_view()
def account_active(request: HttpRequest, council: Council, uid: int) -> HttpResponse:
    user = _account(request, council, uid)
    active = request.POST.get("active") == "1"
    try:
        actions.set_account_active(request.user, user, active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"账号「{user.username}」已{'启用' if active else '停用'}。")
    return redirect("org-accounts", cid=council.pk)


# ---------------------------------------------------------------------------------------------- capacity


@require_POST
@login_required
def switch_profile(request: HttpRequest) -> HttpResponse:
    """Act in another of one's own capacities (``profile`` = its id) for the rest of the session, then go
    back to ``next`` (a local URL; else the inbox). Another account's profile or a bad id: 404."""
    try:
        profile = actions.switch_profile(request.user, request.POST.get("profile"))
    except NotFoundError as exc:
        raise Http404(exc.message) from None
    request.session[SESSION_KEY] = profile.pk
    messages.success(request, _("当前身份：%(capacity)s") % {"capacity": profile.capacity_label()})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("inbox")
    return redirect(target)

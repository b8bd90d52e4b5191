"""Saved filters on the lists (issue 11, item 4): a user saves the filters of a list page under a name and
opens the list so again from the same page. Only the user's own; at most :data:`MAX_PER_LIST` per list.

Any list page offers them by ``{% load saved_filters %}{% saved_filters %}`` next to its filter form.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve

from lvzhi.core import audit
from lvzhi.core.errors import DomainError, NotFoundError
from lvzhi.core.models import SavedFilter

#: Saved filters one user may keep per list.
MAX_PER_LIST = 20
#: Longest name (characters).
NAME_MAX = 40

User = AbstractBaseUser | AnonymousUser


def _uid(user: User) -> int:
    return int(user.pk or 0)


def clean_query(query: str) -> str:
    """``query`` (a query string) without the page number and empty values, keys in their order."""
    pairs = [(k, v) for k, v in parse_qsl(query or "", keep_blank_values=False) if k != "page" and v.strip()]
    return urlencode(pairs)


def filters_for(user: User, path: str) -> list[SavedFilter]:
    """``user``'s saved filters of the list at ``path``, by name."""
    if not user.is_authenticated:
        return []
    return list(SavedFilter.objects.filter(user_id=_uid(user), path=path).order_by("name"))


@transaction.atomic
def save_filter(actor: User, *, path: str, name: str, query: str) -> SavedFilter:
    """Save the filters ``query`` of the list at ``path`` under ``name`` for ``actor`` (the same name again
    replaces them). Raises :class:`DomainError` naming the field: an empty or too long name, no filter set,
    a path that is not a page of this site, more than :data:`MAX_PER_LIST` filters on the list."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("请填写筛选名称。", field="name")
    if len(name) > NAME_MAX:
        raise DomainError(f"筛选名称不能超过 {NAME_MAX} 个字。", field="name")
    query = clean_query(query)
    if not query:
        raise DomainError("当前没有设置筛选条件，无需保存。", field="query")
    if len(query) > 1000:
        raise DomainError("筛选条件过长，无法保存。", field="query")
    try:
        resolve(path)
    except Resolver404:
        raise DomainError("无法保存该页面的筛选。", field="path") from None
    if not path.startswith("/") or path.startswith("//"):
        raise DomainError("无法保存该页面的筛选。", field="path")
    existing = SavedFilter.objects.filter(user_id=_uid(actor), path=path, name=name).first()
    if existing is None and SavedFilter.objects.filter(user_id=_uid(actor), path=path).count() >= MAX_PER_LIST:
        raise DomainError(f"每个列表最多保存 {MAX_PER_LIST} 个筛选，请先删除不用的。", field="name")
    try:
        saved, _created = SavedFilter.objects.update_or_create(user_id=_uid(actor), path=path, name=name,
                                                               defaults={"query": query})
    except IntegrityError:  # the same name saved at the same moment from another tab
        raise DomainError("同名筛选刚刚已保存，请刷新页面。", field="name") from None
    audit.record(saved, "filter_saved", actor=actor, council_id=None, new={"path": path, "name": name})
    return saved


@transaction.atomic
def delete_filter(actor: User, pk: int) -> str:
    """Delete ``actor``'s saved filter ``pk``; returns the list path it belonged to. :class:`NotFoundError`
    for another user's or a missing one."""
    saved = SavedFilter.objects.filter(pk=pk, user_id=_uid(actor)).first()
    if saved is None:
        raise NotFoundError("未找到该筛选。")
    audit.record(saved, "filter_deleted", actor=actor, council_id=None, old={"name": saved.name})
    saved.delete()
    return saved.path

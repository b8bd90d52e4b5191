"""``lvzhi import-proposals PATH [--council ID] [--session ID] [--user NAME]``: import a proposals CSV."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from lvzhi.core.errors import DomainError
from lvzhi.members.models import Council, Session
from lvzhi.proposals import importing


class Command(BaseCommand):
    help = ("导入提案 CSV（列：personnel_name、pkid、proposal_number、publish_time、reason、type、content）。"
            "先校验全部行，有错误则一条也不导入；已导入的（同一 pkid）自动跳过。"
            "未指定会议时导入“江苏省政协第十二届第二次会议”（不存在则新建）。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="CSV 文件路径")
        parser.add_argument("--council", type=int, help="机构 ID（未给 --session 时取该机构最近一次会议）")
        parser.add_argument("--session", type=int, help="会议 ID")
        parser.add_argument("--user", help="以该账号（提案工作人员或管理员）的名义导入；默认为机构的导入专用账号")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rows = importing.read_proposals_file(options["path"])
        except DomainError as exc:
            raise CommandError(self._errors(exc)) from None
        # One transaction for the whole file, including the council, term, session and account the import may
        # create: a refused row, an error or a killed process leaves the database exactly as it was.
        with transaction.atomic():
            session = self._session(options, rows)
            council = session.term.council
            if options["user"]:
                actor = get_user_model().objects.filter(username=options["user"]).first()
                if actor is None:
                    raise CommandError(f"账号不存在：{options['user']}")
            else:
                actor = importing.import_account(council)
            self.stdout.write(f"导入到：{session}（{council.name}），共 {len(rows)} 条。")
            self.stdout.flush()
            bar = tqdm(total=len(rows), unit="件", desc="导入提案", file=self.stderr._out, disable=False)

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            try:
                result = importing.import_proposals(actor, rows, session=session, progress=progress)
            except DomainError as exc:
                raise CommandError(self._errors(exc)) from None
            finally:
                bar.close()
        self.stdout.write(result.summary())

    def _session(self, options: dict[str, Any], rows: list[importing.ImportRow]) -> Session:
        if options["session"]:
            session = Session.objects.select_related("term__council").filter(pk=options["session"]).first()
            if session is None:
                raise CommandError(f"会议不存在：{options['session']}")
            if options["council"] and session.term.council_id != options["council"]:
                raise CommandError("所给会议不属于所给机构。")
            return session
        if options["council"]:
            council = Council.objects.filter(pk=options["council"]).first()
            if council is None:
                raise CommandError(f"机构不存在：{options['council']}")
            session = (Session.objects.select_related("term__council").filter(term__council=council)
                       .order_by("-term__number", "-number").first())
            if session is None:
                raise CommandError(f"机构“{council.name}”还没有会议，请先建立届次和会议，或用 --session 指定。")
            return session
        return importing.default_session(rows)

    @staticmethod
    def _errors(exc: DomainError) -> str:
        errors = getattr(exc, "errors", [])
        if not errors:
            return exc.message
        lines = [f"文件中有 {len(errors)} 处错误，未导入任何提案："] + [str(e) for e in errors[:50]]
        if len(errors) > 50:
            lines.append(f"……另有 {len(errors) - 50} 处")
        return "\n".join(lines)

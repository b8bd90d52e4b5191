"""``lvzhi create_token USERNAME [--name NAME] [--days N | --no-expiry]``: issue an API token for an account.

Prints the plain key once (it is not stored; only its SHA-256 digest is). For scripts and integrations that
cannot log in interactively. Use ``Authorization: Bearer <key>`` on requests to ``/api/``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lvzhi.core.api_auth import DEFAULT_TOKEN_DAYS, get_user, issue_token
from lvzhi.core.errors import DomainError


class Command(BaseCommand):
    help = "为账号签发 API 令牌（明文只显示一次）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("--name", default="命令行签发", help="令牌名称")
        parser.add_argument("--days", type=int, default=DEFAULT_TOKEN_DAYS, help="有效期（自然日）")
        parser.add_argument("--no-expiry", action="store_true", help="永不过期（慎用）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user(options["username"])
            token, key = issue_token(user, name=options["name"],
                                     days=None if options["no_expiry"] else options["days"])
        except DomainError as exc:
            raise CommandError(exc.message) from None
        expiry = f"{token.expires_at:%Y-%m-%d %H:%M}" if token.expires_at else "永不过期"
        self.stderr.write(f"已为 {user.get_username()} 签发令牌「{token.name}」（{expiry}）。明文只显示这一次：")
        self.stdout.write(key)

"""``lvzhi demo [--reset]``: build the demo council and print its accounts."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lvzhi.demo.builder import DEMO_COUNCIL_NAME, build_demo, format_accounts, format_contents


class Command(BaseCommand):
    help = (f"建立演示机构“{DEMO_COUNCIL_NAME}”及其演示数据（已存在则保留），并列出各角色的演示账号和密码。"
            "--reset 先删除演示数据再重建。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="先删除全部演示数据，再重新建立")

    def handle(self, *args: Any, **options: Any) -> None:
        result = build_demo(reset=options["reset"])
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"已建立演示数据：{result.proposals} 件演示提案（{result.seconds:.1f} 秒）。"))
        else:
            self.stdout.write("演示数据已存在，未重复建立（如需重建请加 --reset）。")
        self.stdout.write("演示账号（仅供演示，请勿在正式环境使用）：")
        self.stdout.write(format_accounts(result.accounts))
        self.stdout.write(format_contents(result.contents))

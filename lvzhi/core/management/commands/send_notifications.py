"""``lvzhi send-notifications [--digest]``: deliver notifications outside the app (:mod:`lvzhi.core.delivery`).

Without options: send again the instant e-mails and SMS that failed (each at most five times), and what the
registered senders have pending (answers to citizens who follow their message by its tracking code). With
``--digest``: also send the daily digest to every user who chose it. Schedule it (cron, a systemd timer or the
task worker's beat): every few minutes without options, once a day (e.g. 08:00) with ``--digest``. Prints what
was sent; exits 0 even when a message failed (failures are recorded and tried again).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from lvzhi.core.delivery import deliver_instant, email_enabled, run_senders, send_digests, sms_enabled


class Command(BaseCommand):
    help = "向选择了邮件或短信的用户补发通知；加 --digest 时另发每日通知汇总邮件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--digest", action="store_true", help="发送每日汇总邮件（每天运行一次）")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (email_enabled() or sms_enabled()):
            self.stdout.write("未配置邮件服务器（EMAIL_HOST）或短信网关（SMS_GATEWAY_URL），未发送任何通知。")
            return
        counts = deliver_instant()
        if options["digest"]:
            digest = send_digests()
            counts.digests, counts.failed = digest.digests, counts.failed + digest.failed
        counts.emails += sum(run_senders().values())
        self.stdout.write(f"邮件 {counts.emails} 封，汇总邮件 {counts.digests} 封，短信 {counts.sms} 条，"
                          f"失败 {counts.failed} 条（下次运行时重试）。")

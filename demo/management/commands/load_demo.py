"""`manage.py load_demo [--guides N]`: a realistic demo centre, and large catalogues for benchmarks.

The demo (19+ departments, 56 windows, 300+ guides, bundles, policies, galleries, a magazine,
four users) is created through Wagtail with revisions, idempotently: a second run creates and
changes nothing. Then a year of hall data (staff, inspections, cases, evaluations) ending
yesterday, unless the windows already have some or `--no-hall-data` says not to.
`--guides N` then adds N synthetic guides with bulk inserts (no revisions), for search and
rendering benchmarks; every run adds N more.
"""

import logging
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.caching import version as content_version
from cms.management.logs import quiet_loggers
from demo.hall import generate_demo_year
from demo.hall.archive import ensure_demo_archive
from demo.site import data, specs
from demo.site.builder import DemoBuilder
from demo.site.bulk import DEFAULT_BATCH_SIZE, add_bulk_guides, add_bulk_policies

LABELS = {
    "User": "用户",
    "Department": "部门",
    "ServiceWindow": "窗口",
    "Theme": "主题",
    "MagazineColumn": "刊物栏目",
    "Material": "材料",
    "Collection": "图片/文档集",
    "Document": "文档",
    "Image": "图片",
    "CatalogueIndexPage": "办事指南目录",
    "OneThingIndexPage": "一件事目录",
    "PolicyIndexPage": "政策文件目录",
    "GalleryIndexPage": "窗口风采目录",
    "MagazinePage": "电子刊物",
    "PolicyPage": "政策文件",
    "ServiceGuidePage": "办事指南",
    "OneThingPage": "一件事",
    "GalleryPage": "窗口风采",
    "MagazineIssuePage": "刊物期次",
    "MagazineArticlePage": "刊物文章",
    "HomePage": "首页（补全字段）",
}


class Command(BaseCommand):
    help = "载入示范政务服务中心的演示数据；--guides N 另外批量生成 N 条办事指南（用于性能测试）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--guides",
            type=int,
            default=0,
            metavar="N",
            help="在演示数据之外批量追加 N 条合成的办事指南（不生成修订版本），默认 0",
        )
        parser.add_argument(
            "--policies",
            type=int,
            default=0,
            metavar="N",
            help="另外批量追加 N 篇合成的政策文件（检索性能测试的“其他文档”），默认 0",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"批量插入时每个事务写入的指南数，默认 {DEFAULT_BATCH_SIZE}",
        )
        parser.add_argument("--seed", type=int, default=2026, help="批量指南的随机种子，默认 2026")
        parser.add_argument("--logins", action="store_true", help="只列出演示账号，不载入数据")
        parser.add_argument(
            "--no-hall-data",
            action="store_true",
            help="不生成大厅督查数据（默认生成截至昨天的一年：工作人员、巡查、办件、好差评）",
        )

    def handle(self, *args, guides, policies, batch_size, seed, verbosity, **options):
        if options["logins"]:
            self.report_logins()
            return
        if guides < 0 or policies < 0:
            raise CommandError("--guides 和 --policies 不能为负数。")
        if batch_size < 1:
            raise CommandError("--batch-size 至少为 1。")

        # Wagtail's and django-tasks' line per publish and index update: only -v 2 asks for them.
        chatty_level = logging.WARNING if verbosity < 2 else None
        started = time.perf_counter()
        with quiet_loggers(chatty_level):
            created = DemoBuilder(stdout=self.stdout, verbosity=verbosity).build()
        demo_seconds = time.perf_counter() - started
        if verbosity >= 1:
            self.report_demo(created, demo_seconds)

        if not options["no_hall_data"]:
            hall = generate_demo_year()
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS(hall.summary()))
            started = time.perf_counter()
            bulletins = ensure_demo_archive()
            if verbosity >= 1:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"督查简报 {bulletins} 期（已有的不重做），用时 "
                        f"{time.perf_counter() - started:.1f} 秒；管理人员 manager 已订阅全部简报。"
                    )
                )

        if guides:
            started = time.perf_counter()
            with quiet_loggers(chatty_level):
                add_bulk_guides(guides, batch_size=batch_size, seed=seed, verbosity=verbosity)
            seconds = time.perf_counter() - started
            if verbosity >= 1:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"批量追加办事指南 {guides} 条，用时 {seconds:.2f} 秒"
                        f"（{guides / seconds:,.0f} 条/秒）。"
                    )
                )

        if policies:
            started = time.perf_counter()
            add_bulk_policies(policies, batch_size=batch_size, seed=seed, verbosity=verbosity)
            seconds = time.perf_counter() - started
            if verbosity >= 1:
                self.stdout.write(
                    self.style.SUCCESS(f"批量追加政策文件 {policies} 篇，用时 {seconds:.2f} 秒。")
                )
        if guides or policies:
            # Bulk rows are written past the signals that retire cached pages (cms.caching).
            content_version.bump()

        if verbosity >= 1:
            self.report_logins()

    def report_demo(self, created, seconds):
        if created:
            parts = [f"{LABELS.get(name, name)} {count}" for name, count in created.items()]
            self.stdout.write(
                self.style.SUCCESS(
                    f"演示数据已载入（{seconds:.1f} 秒）：新建 " + "，".join(parts) + "。"
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已是最新（{seconds:.1f} 秒），未作改动。")
            )
        figures = specs.catalogue_figures()
        self.stdout.write(
            f"演示目录 {figures['guides']} 条指南：即办件 {figures['instant']:.0%}，"
            f"最多跑一次 {figures['run_at_most_once']:.0%}，零上门 {figures['zero_visit']:.0%}，"
            f"高频事项 {figures['high_frequency']} 项，承诺时限较法定时限压缩 {figures['compression']:.1%}。"
        )

    def report_logins(self):
        accounts = {
            user.username: user
            for user in get_user_model().objects.filter(
                username__in=[u.username for u in data.USERS]
            )
        }
        self.stdout.write("\n演示账号（仅供本机演示使用）：")
        for user in data.USERS:
            role = "超级管理员" if user.superuser else user.group
            account = accounts.get(user.username)
            note = "" if account and account.check_password(user.password) else "（密码已被修改）"
            self.stdout.write(f"  {role:<6} 用户名 {user.username:<9} 密码 {user.password}{note}")
        self.stdout.write("后台地址：/admin/")

"""`manage.py audit_guides`: the guide audit's summary (指南要素完整度): guides audited, mean
score, findings by rule, departments from the lowest score; `--findings` lists each finding,
`--check-links` runs the link check first (network I/O, as the nightly job does)."""

import json

from django.core.management.base import BaseCommand, CommandError

from cms.audit.links import check_links
from cms.audit.scoring import TOTAL_WEIGHT, audit_guides, by_department, summary
from cms.models import Department, ServiceGuidePage


class Command(BaseCommand):
    help = "检查办事指南的要素完整度，输出得分和问题汇总。"

    def add_arguments(self, parser):
        parser.add_argument("--department", metavar="CODE", help="只检查该部门编码的指南")
        parser.add_argument("--findings", action="store_true", help="逐条列出每个问题")
        parser.add_argument(
            "--check-links",
            action="store_true",
            dest="run_link_check",
            help="先检查外部链接（访问网络，与每晚的定时任务相同）",
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出汇总数字")

    def handle(self, *args, department, findings, run_link_check, verbosity, **options):
        guides = ServiceGuidePage.objects.all()
        if department:
            if not Department.objects.filter(code=department).exists():
                raise CommandError(f"部门编码“{department}”不存在。")
            guides = guides.filter(department__code=department)
        if run_link_check:
            run = check_links()
            if verbosity >= 1:
                self.stdout.write(
                    f"外部链接 {run['links']} 个，本次检查 {run['checked']} 个，"
                    f"失败 {run['failed']} 个，已失效共 {run['dead']} 个。"
                )
        audits = audit_guides(guides)
        figures = summary(audits)
        if options["json"]:
            figures["departments"] = [
                {"code": d.department.code, "name": d.department.name, "score": d.score}
                for d in by_department(audits)
            ]
            self.stdout.write(json.dumps(figures, ensure_ascii=False, indent=2))
            return
        if not audits:
            self.stdout.write("没有可检查的办事指南。")
            return
        self.report(audits, figures, verbosity)
        if findings:
            self.list_findings(audits)

    def report(self, audits, figures, verbosity):
        self.stdout.write(
            f"检查办事指南 {figures['guides']} 条：平均得分 {figures['mean_score']}"
            f"（满分 100，规则权重合计 {TOTAL_WEIGHT}），{figures['perfect']} 条未发现问题，"
            f"问题共 {figures['findings']} 个。"
        )
        self.stdout.write("\n按规则：")
        for rule in figures["rules"].values():
            self.stdout.write(
                f"  {rule['label']}（权重 {rule['weight']}）：指南 {rule['guides']} 条，"
                f"问题 {rule['findings']} 个"
            )
        if verbosity < 1:
            return
        departments = sorted(by_department(audits), key=lambda row: (row.score, *row.in_order))
        self.stdout.write("\n按部门（得分由低到高）：")
        for row in departments:
            self.stdout.write(
                f"  {row.score:5.1f}  {row.department.name}：指南 {row.guide_count} 条，"
                f"有问题 {row.failing_count} 条"
            )

    def list_findings(self, audits):
        self.stdout.write("\n问题清单：")
        for audit in sorted(audits, key=lambda a: (a.score, a.guide.implementation_code)):
            if not audit.findings:
                continue
            guide = audit.guide
            self.stdout.write(f"  {guide.title}（{guide.implementation_code}）得分 {audit.score}")
            for finding in audit.findings:
                self.stdout.write(f"    [{finding.severity_label}] {finding}")

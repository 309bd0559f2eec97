"""The text of a policy's attached PDF, DOCX and XLSX files is searched and quoted, with the
file named; it follows the file when it is replaced, and never comes from a private
document, an unpublished policy or a file that cannot be read."""

import hashlib
import io
import json
import logging
import zipfile

import openpyxl
import pypdf
import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from cms.models import PolicyAttachment
from search import attachments, index
from search import query as search_query
from search.backends import get_search_backend
from search.models import AttachmentText
from search.query import SearchRequest
from tests import factories

pytestmark = pytest.mark.django_db

PDF_TERM = "跨境电商综合试验区"
DOCX_TERM = "候鸟式养老社区"
XLSX_TERM = "冷链物流运营补贴"


def pdf(*paragraphs, table=""):
    """A real PDF, laid out by WeasyPrint in the CJK font the product prints with."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs) + table
    html = f"<html><body style='font-family: \"Noto Serif CJK SC\"'>{body}</body></html>"
    return weasyprint.HTML(string=html).write_pdf()


def encrypted(data, user_password):
    """The PDF encrypted (RC4, which pypdf writes and reads without further libraries)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def docx(*paragraphs):
    """A minimal DOCX as Word writes one: a paragraph's text in several runs, a table."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def paragraph(text):
        half = len(text) // 2  # Word splits a paragraph into runs wherever formatting changes
        return f"<w:p><w:r><w:t>{text[:half]}</w:t></w:r><w:r><w:t>{text[half:]}</w:t></w:r></w:p>"

    cells = "".join(f"<w:tc>{paragraph(t)}</w:tc>" for t in ("序号", "事项"))
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{w}">'
        f"<w:body>{''.join(paragraph(p) for p in paragraphs)}"
        f"<w:tbl><w:tr>{cells}</w:tr></w:tbl></w:body></w:document>"
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def xlsx(*rows):
    workbook = openpyxl.Workbook()
    workbook.active.title = "补贴标准"
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def document(filename, content, collection=None):
    """A document as Wagtail's upload leaves it: the file, its size and its SHA-1."""
    doc = get_document_model()(title=filename, collection=collection or root_collection())
    doc.file.save(filename, ContentFile(content), save=False)
    doc.file_size = len(content)
    doc.file_hash = hashlib.sha1(content).hexdigest()
    doc.save()
    return doc


def root_collection():
    return Collection.get_first_root_node()


def private_collection(name="内部资料"):
    collection = root_collection().add_child(name=name)
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return collection


def attached_policy(doc, name="实施细则", live=True, **overrides):
    attachment = PolicyAttachment(title=name, document=doc)
    return factories.policy(live=live, attachments=[attachment], **overrides)


def search(q):
    """The hits that hold the query (not the partial matches of a relaxed retry)."""
    results = get_search_backend().search(SearchRequest(search_query.parse(q)))
    return [] if results.relaxed else results.hits


def found(q):
    return [hit.title for hit in search(q)]


def file_mentioning(term, extension):
    """A file of this type that says `term` inside its text, as such files usually do."""
    if extension == "pdf":
        return pdf(f"第一条 支持建设{term}，培育外贸新业态。")
    if extension == "docx":
        return docx(f"第二条 发展{term}。")
    return xlsx(["序号", "项目", "标准"], [1, term, "每吨50元"])


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx"])
def test_a_policy_whose_only_mention_of_a_term_is_in_its_attached_file_is_found_by_it(
    changes, extension
):
    content = file_mentioning(PDF_TERM, extension)
    with changes():
        policy = attached_policy(
            document(f"xize.{extension}", content), title="关于促进外贸发展的通知"
        )
    assert PDF_TERM not in policy.body and PDF_TERM not in policy.title
    hits = search(PDF_TERM)
    assert [hit.title for hit in hits] == ["关于促进外贸发展的通知"]
    assert hits[0].highlight.startswith("附件《实施细则》：")
    assert f"<mark>{PDF_TERM}</mark>" in hits[0].highlight


def test_the_page_and_the_api_name_the_attachment_and_link_its_file(client, changes):
    with changes():
        doc = document("shishi-xize.pdf", pdf("支持建设" + PDF_TERM + "。"))
        attached_policy(doc, name="实施细则（试行）")
    html = client.get("/search/", {"q": PDF_TERM}).content.decode()
    assert f"附件《实施细则（试行）》：支持建设<mark>{PDF_TERM}</mark>" in html
    answer = json.loads(client.get("/api/search/", {"q": PDF_TERM}).content)
    [hit] = answer["hits"]
    assert hit["attachment"] == {"title": "实施细则（试行）", "url": f"http://testserver{doc.url}"}
    assert hit["highlight"]["snippet"].startswith("附件《实施细则（试行）》：")
    assert attachments.DETAILS_KEY not in hit["details"]  # the offsets are the highlighter's


def test_a_match_in_the_policy_s_own_text_is_quoted_from_it_not_from_the_attachment(changes):
    with changes():
        attached_policy(
            document("xize.pdf", pdf("营商环境" + PDF_TERM)),
            body="<p>本通知所称营商环境，是指企业活动中涉及的体制机制因素。</p>",
        )
    [hit] = search("营商环境")
    assert hit.attachment is None
    assert hit.highlight.startswith("本通知所称<mark>营商环境</mark>")
    [hit] = search(PDF_TERM)
    assert hit.attachment["title"] == "实施细则"


def test_replacing_the_file_in_the_admin_reindexes_the_policies_that_attach_it(client, changes):
    doc = document("xize.pdf", pdf("第一版支持" + PDF_TERM))
    with changes():
        attached_policy(doc, title="关于促进外贸发展的通知")
    assert found(PDF_TERM) == ["关于促进外贸发展的通知"]
    client.force_login(factories.user("admin", superuser=True))
    new_file = SimpleUploadedFile("xize-v2.pdf", pdf("第二版改为" + DOCX_TERM))
    with changes():
        response = client.post(
            f"/admin/documents/edit/{doc.pk}/",
            {"title": doc.title, "collection": doc.collection_id, "file": new_file},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    doc.refresh_from_db()
    assert doc.file.name.endswith(".pdf") and "xize-v2" in doc.file.name
    assert found(PDF_TERM) == []
    assert found(DOCX_TERM) == ["关于促进外贸发展的通知"]
    assert AttachmentText.objects.get(document=doc).file_hash == doc.file_hash


def test_removing_an_attachment_from_the_policy_takes_its_text_out_when_published(changes):
    with changes():
        policy = attached_policy(document("xize.pdf", pdf(PDF_TERM)))
    assert found(PDF_TERM)
    with changes():
        policy.attachments.clear()
        policy.save_revision()  # a draft: the public page still lists the attachment
    assert found(PDF_TERM)
    with changes():
        policy.save_revision().publish()
    assert found(PDF_TERM) == []


def test_a_private_document_s_text_is_never_indexed_and_leaves_when_its_collection_is_restricted(
    changes,
):
    with changes():
        attached_policy(document("neibu.pdf", pdf(PDF_TERM), collection=private_collection()))
    assert found(PDF_TERM) == []
    assert not AttachmentText.objects.exists()  # never even read

    shared = root_collection().add_child(name="政策附件")
    with changes():
        attached_policy(document("xize.docx", docx(DOCX_TERM), collection=shared))
    assert found(DOCX_TERM)
    with changes():
        restriction = CollectionViewRestriction.objects.create(
            collection=shared, restriction_type=CollectionViewRestriction.PASSWORD, password="x"
        )
    assert found(DOCX_TERM) == []
    with changes():
        restriction.delete()
    assert found(DOCX_TERM)


def test_a_collection_moved_under_a_restricted_one_takes_its_documents_text_out(changes):
    shared = root_collection().add_child(name="政策附件")
    with changes():
        attached_policy(document("xize.docx", docx(DOCX_TERM), collection=shared))
    assert found(DOCX_TERM)
    private = private_collection()
    with changes():
        # What Wagtail's collection form does (treebeard wants fresh rows to move).
        moved = Collection.objects.get(pk=shared.pk)
        moved.move(Collection.objects.get(pk=private.pk), "sorted-child")
        Collection.objects.get(pk=shared.pk).save()
    assert found(DOCX_TERM) == []


def test_the_nightly_check_takes_out_text_a_bulk_update_made_private(changes):
    shared = root_collection().add_child(name="政策附件")
    with changes():
        doc = document("xize.docx", docx(DOCX_TERM), collection=shared)
        attached_policy(doc)
    assert found(DOCX_TERM)
    # Wagtail's bulk "add to collection" is an UPDATE: no signal reaches the index.
    get_document_model().objects.filter(pk=doc.pk).update(collection=private_collection())
    assert found(DOCX_TERM)
    with changes():
        index.reconcile()
    assert found(DOCX_TERM) == []


def test_an_unpublished_policy_s_attachment_is_not_found(changes):
    with changes():
        attached_policy(document("caogao.pdf", pdf(PDF_TERM)), live=False)
        published = attached_policy(document("xize.docx", docx(DOCX_TERM)))
    assert found(PDF_TERM) == []
    assert found(DOCX_TERM)
    with changes():
        published.unpublish()
    assert found(DOCX_TERM) == []


def test_a_corrupt_or_encrypted_file_breaks_neither_publishing_nor_the_index(changes, caplog):
    truncated = pdf(PDF_TERM)[:400]
    with caplog.at_level(logging.WARNING, logger="search"), changes():
        attached_policy(document("sunhuai.pdf", truncated), title="附件损坏的通知")
        attached_policy(document("sunhuai.docx", b"PK\x03\x04 not a zip"), title="另一份通知")
        attached_policy(document("sunhuai.xlsx", b"\x00" * 100), title="第三份通知")
        locked = encrypted(pdf(PDF_TERM), user_password="secret")
        attached_policy(document("jiami.pdf", locked), title="加密附件的通知")
    for title in ("附件损坏的通知", "另一份通知", "第三份通知", "加密附件的通知"):
        assert found(title) == [title]
    assert found(PDF_TERM) == []
    read_failures = [r for r in caplog.records if "附件文字读取失败" in r.getMessage()]
    assert len(read_failures) == 4


def test_a_rebuild_reads_only_the_files_that_changed_since_the_last_one(monkeypatch):
    first = attached_policy(document("yi.pdf", pdf(PDF_TERM)))
    attached_policy(document("er.docx", docx(DOCX_TERM)))
    read = []
    reading = attachments.text_of
    monkeypatch.setattr(attachments, "text_of", lambda d: read.append(d.pk) or reading(d))
    list(index.rebuild(get_search_backend()))
    assert len(read) == 2 and found(PDF_TERM) and found(DOCX_TERM)
    read.clear()
    list(index.rebuild(get_search_backend()))
    assert read == [] and found(PDF_TERM) and found(DOCX_TERM)
    replaced = first.attachments.get().document
    replaced.file.save("yi-v2.xlsx", ContentFile(xlsx([XLSX_TERM])), save=False)
    replaced._set_document_file_metadata()
    replaced.save()
    list(index.rebuild(get_search_backend()))
    assert read == [replaced.pk] and found(XLSX_TERM) and not found(PDF_TERM)


def test_what_is_read_of_each_kind_of_file():
    wrapped = (
        "申请人可通过一网通办平台提交营业执照申请，市场监督管理部门应当在三个工作日内办结。" * 4
    )
    pdf_text = attachments.text_of(document("a.pdf", pdf(wrapped)))
    # The layout wrapped this paragraph over several lines; the words it cut are whole again.
    assert wrapped in pdf_text
    # So were words wrapped inside a table's cells, which pypdf separates with a space.
    disease, rule = (
        "慢性肾功能衰竭（尿毒症透析）",
        "二级以上医疗机构确诊，需规律血液透析或腹膜透析治疗。",
    )
    row = f"<tr><td>3</td><td>{disease}</td><td>{rule * 2}</td></tr>"
    table_text = attachments.text_of(document("t.pdf", pdf(table=f"<table>{row}</table>")))
    assert disease in table_text and rule * 2 in table_text
    # Encrypted only against editing: anyone opens it, and so does the index.
    readable = encrypted(pdf(PDF_TERM), user_password="")
    assert PDF_TERM in attachments.text_of(document("h.pdf", readable))
    assert attachments.text_of(document("b.docx", docx("第一段", "第二段"))) == (
        "第一段\n第二段\n序号\n事项"
    )
    assert attachments.text_of(document("c.xlsx", xlsx(["序号", "项目"], [1, None, "冷链"]))) == (
        "补贴标准\n序号 项目\n1 冷链"
    )
    for other in ("d.doc", "e.ofd", "f.zip", "g.txt"):
        assert attachments.text_of(document(other, b"PK\x03\x04")) == ""


def test_limits_on_a_file_and_on_a_page(monkeypatch, changes):
    long_text = "政务服务" * 30_000
    monkeypatch.setattr(attachments, "MAX_FILE_SIZE", 1_000)
    assert attachments.text_of(document("big.xlsx", xlsx([long_text[:500]] * 10))) == ""
    monkeypatch.setattr(attachments, "MAX_FILE_SIZE", 20 * 1024 * 1024)
    kept = attachments.text_of(document("long.docx", docx(long_text)))
    assert len(kept) == attachments.MAX_CHARACTERS
    with changes():
        policy = factories.policy(
            attachments=[
                PolicyAttachment(title=f"附件{n}", document=document(f"{n}.docx", docx(long_text)))
                for n in range(3)
            ]
        )
    built = index.sources.documents_for([policy.pk])[policy.pk]
    sections = built.details[attachments.DETAILS_KEY]
    assert [s["end"] - s["start"] for s in sections] == [50_000, 30_000, 0]
    assert sum(s["end"] - s["start"] for s in sections) == attachments.MAX_PAGE_CHARACTERS


def test_a_workbook_that_unpacks_too_large_is_not_opened(monkeypatch):
    # A few kilobytes of repeated text unpack to 200 times that: openpyxl would hold it all.
    packed = xlsx(["冷链物流补贴"] * 2000)
    monkeypatch.setattr(attachments, "MAX_XML_SIZE", 20_000)
    assert attachments.text_of(document("bomb.xlsx", packed)) == ""
    monkeypatch.setattr(attachments, "MAX_XML_SIZE", 50 * 1024 * 1024)
    assert "冷链物流补贴" in attachments.text_of(document("fine.xlsx", packed))


@pytest.mark.parametrize(
    "title, named",
    [
        ("实施细则", "附件《实施细则》"),
        ("附件1：申请表", "附件1《申请表》"),
        ("附件：病种目录", "附件《病种目录》"),
        ("附件材料说明", "附件《附件材料说明》"),
    ],
)
def test_a_result_names_the_attachment_as_the_policy_lists_it(title, named):
    assert attachments.label(title) == named

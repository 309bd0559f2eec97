"""The index follows what is public: publish, unpublish, delete, move, restrict and expire,
through the signals and the queued task, and `rebuild_search_index` from scratch."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from search import query as search_query
from search.backends import get_search_backend
from search.query import SearchRequest
from search.sources import documents_for, public_documents
from tests import factories

pytestmark = pytest.mark.django_db


def found(q, **filters):
    parsed = search_query.parse(q)
    return [
        hit.title
        for hit in get_search_backend().search(SearchRequest(parsed, filters=filters)).hits
    ]


def indexed():
    return get_search_backend().page_ids()


def test_publishing_a_guide_indexes_it_through_the_queued_task(
    django_capture_on_commit_callbacks, run_queued_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        guide = factories.guide(title="二手车交易登记")
    assert guide.pk not in indexed()
    assert "search.tasks.sync_pages" in run_queued_tasks("search.")
    assert found("二手车") == ["二手车交易登记"]


def test_drafts_never_reach_the_index_and_a_published_edit_replaces_the_old_text(changes):
    with changes():
        draft = factories.guide(title="尚未发布的事项", live=False)
        guide = factories.guide(title="出租车驾驶员从业资格")
    assert draft.pk not in indexed()
    with changes():
        guide.title = "网约车驾驶员从业资格"
        guide.save_revision()  # a draft edit: the site still shows the old title
    assert found("出租车") == ["出租车驾驶员从业资格"]
    with changes():
        guide.save_revision().publish()
    assert found("出租车") == []
    assert found("网约车") == ["网约车驾驶员从业资格"]


def test_unpublishing_and_deleting_remove_a_page(changes):
    with changes():
        kept = factories.guide(title="结婚登记")
        unpublished = factories.guide(title="离婚登记")
        deleted = factories.policy(title="关于婚姻登记的通知")
    with changes():
        unpublished.unpublish()
        deleted.delete()
    assert indexed() == {kept.pk}


def test_unpublishing_or_restricting_a_section_removes_everything_under_it(changes):
    with changes():
        guides = [factories.guide(title=f"不动产登记{n}") for n in range(3)]
    section = factories.catalogue()
    with changes():
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    assert indexed() == set()
    with changes():
        PageViewRestriction.objects.filter(page=section).delete()
    assert indexed() == {g.pk for g in guides}
    with changes():
        section.unpublish()
    assert indexed() == set()


def test_moving_a_page_updates_its_url(changes):
    with changes():
        guide = factories.guide(title="户口迁移")
        other = factories.add_page(factories.home(), factories.CatalogueIndexPage(title="新目录"))
    with changes():
        guide.move(other, pos="last-child")
    guide.refresh_from_db()
    hit = get_search_backend().search(SearchRequest(search_query.parse("户口迁移"))).hits[0]
    assert hit.url == guide.url and hit.url.startswith(other.url)


def bundle_of(guides):
    from cms.models import OneThingIndexPage, OneThingItem, OneThingPage

    index = OneThingIndexPage.objects.first() or factories.add_page(
        factories.home(), OneThingIndexPage(title="一件事一次办")
    )
    page = OneThingPage(title="开办企业一件事", life_event="从领执照到刻章、开户")
    page.items = [OneThingItem(guide=guide) for guide in guides]
    return factories.add_page(index, page)


def test_a_guide_restricted_or_moved_out_of_sight_leaves_the_bundles_that_quote_it(changes):
    # A bundle's document quotes its public guides' titles: hiding a guide must re-read them.
    with changes():
        guide = factories.guide(title="公章刻制备案")
        bundle_of([guide, factories.guide(title="企业设立登记")])
    assert sorted(found("公章刻制")) == ["公章刻制备案", "开办企业一件事"]
    with changes():
        PageViewRestriction.objects.create(page=guide, restriction_type=PageViewRestriction.LOGIN)
    assert found("公章刻制") == []
    with changes():
        PageViewRestriction.objects.filter(page=guide).delete()
    assert sorted(found("公章刻制")) == ["公章刻制备案", "开办企业一件事"]
    private = factories.add_page(factories.home(), factories.CatalogueIndexPage(title="内部目录"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    with changes():
        guide.move(private, pos="last-child")
    assert found("公章刻制") == []
    assert found("企业设立") == ["企业设立登记", "开办企业一件事"]


def test_a_sync_of_more_pages_than_one_chunk_writes_and_removes_them_all():
    from search import index

    guides = [factories.guide(title=f"不动产登记{n}") for n in range(5)]
    guides[0].unpublish()
    assert index.sync([g.pk for g in guides], chunk_size=2) == (4, 1)
    assert indexed() == {g.pk for g in guides[1:]}


def test_an_image_moved_to_another_collection_leaves_one_gallery_and_joins_the_other(changes):
    from wagtail.models import Collection

    from cms.models import GalleryIndexPage, GalleryPage

    root = Collection.get_first_root_node()
    first, second = root.add_child(name="综合窗口"), root.add_child(name="不动产窗口")
    index = factories.add_page(factories.home(), GalleryIndexPage(title="窗口风采"))
    with changes():
        photo = factories.image(title="首席服务官李晓红")
        photo.collection = first
        photo.save()
        factories.add_page(index, GalleryPage(title="综合受理区", collection=first))
        factories.add_page(index, GalleryPage(title="不动产登记区", collection=second))
    assert found("李晓红") == ["综合受理区"]
    with changes():
        photo.collection = second
        photo.save()
    assert found("李晓红") == ["不动产登记区"]


def test_the_nightly_reconcile_writes_what_the_index_missed_and_removes_what_it_kept():
    from django_q.models import Schedule

    from search import index

    missed = factories.guide(title="居住证签注")  # its task never ran
    kept = factories.guide(title="居住证申领")
    get_search_backend().update(documents_for([kept.pk]).values())
    kept.unpublish()  # and the removal task was lost
    assert indexed() == {kept.pk}
    assert index.reconcile() == (1, 1)
    assert indexed() == {missed.pk}
    assert index.reconcile() == (0, 0)
    nightly = Schedule.objects.get(func="search.tasks.reconcile_index")
    assert timezone.localtime(nightly.next_run).hour == 3


def test_renaming_a_department_reaches_its_guides(changes):
    with changes():
        guide = factories.guide(title="食品经营许可")
    with changes():
        guide.department.name = "示范市数据和行政审批局"
        guide.department.save()
    assert found("行政审批局") == ["食品经营许可"]


def test_expired_pages_are_not_indexed_and_a_section_expiry_reaches_its_guides():
    expired = factories.guide(
        title="过期事项", expire_at=timezone.now() - datetime.timedelta(hours=1)
    )
    soon = timezone.now() + datetime.timedelta(days=2)
    section = factories.catalogue()
    section.expire_at = soon
    section.save_revision().publish()
    current = factories.guide(title="现行事项")
    documents = documents_for([expired.pk, current.pk])
    assert documents[expired.pk] is None
    assert documents[current.pk].expire_at == soon


def test_a_second_rebuild_in_one_process_writes_the_expiry_set_since_the_first():
    from search.models import IndexedDocument

    guide = factories.guide(title="临时事项")
    list(index_rebuild())
    soon = timezone.now() + datetime.timedelta(days=2)
    guide.expire_at = soon
    guide.save_revision().publish()
    list(index_rebuild())
    assert IndexedDocument.objects.get(page_id=guide.pk).expire_at == soon


def index_rebuild():
    from search import index

    return index.rebuild(get_search_backend())


def test_private_pages_are_not_built_into_documents():
    public = factories.guide(title="公开事项")
    private = factories.guide(title="内部事项")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    built = {doc.page_id for chunk in public_documents() for doc in chunk}
    assert public.pk in built and private.pk not in built


def test_rebuild_search_index_indexes_every_public_page_and_reports_it():
    guide = factories.guide(title="居住证签注")
    policy = factories.policy(title="关于居住证的通知")
    factories.guide(title="草稿", live=False)
    out, err = io.StringIO(), io.StringIO()
    call_command("rebuild_search_index", stdout=out, stderr=err)
    assert indexed() == {guide.pk, policy.pk}
    assert "已索引 2 篇公开内容" in out.getvalue()
    assert "重建索引 default" in err.getvalue()  # the progress bar
    assert sorted(found("居住证")) == ["关于居住证的通知", "居住证签注"]


def test_rebuild_if_empty_builds_a_fresh_index_and_keeps_an_existing_one():
    guide = factories.guide(title="居住证签注")
    call_command("rebuild_search_index", if_empty=True, stdout=io.StringIO(), stderr=io.StringIO())
    assert indexed() == {guide.pk}
    get_search_backend().remove([guide.pk])  # an index that differs from the database
    other = factories.guide(title="居住证申领")
    get_search_backend().update(documents_for([other.pk]).values())
    out = io.StringIO()
    call_command("rebuild_search_index", if_empty=True, stdout=out, stderr=io.StringIO())
    assert "未重建" in out.getvalue() and indexed() == {other.pk}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rebuild_in_worker_processes_writes_what_one_process_writes():
    # Forked workers read committed rows through their own connections, hence a transactional
    # test; the FTS5 tables are not flushed between tests, so it clears the index after.
    from search.models import IndexedDocument, SuggestionKey

    def written():
        results = get_search_backend().search(SearchRequest(search_query.parse("居住证")))
        entries = IndexedDocument.objects.values_list(
            "page_id", "kind", "facets", "title", "url", "details", "body", "expire_at"
        )
        keys = SuggestionKey.objects.values_list("page_id", "key", "weight")
        return (
            [(hit.title, hit.url, hit.highlight) for hit in results.hits],
            results.facets,
            sorted(entries),
            sorted(keys),
        )

    factories.guide(title="居住证签注")
    factories.guide(title="居住证申领", high_frequency=True)
    factories.policy(title="关于居住证的通知")
    try:
        call_command("rebuild_search_index", jobs=1, stdout=io.StringIO(), stderr=io.StringIO())
        in_one = written()
        out = io.StringIO()
        call_command("rebuild_search_index", jobs=2, chunk_size=1, stdout=out, stderr=io.StringIO())
        assert "已索引 3 篇公开内容" in out.getvalue()
        assert written() == in_one and len(in_one[0]) == 3
    finally:
        get_search_backend().clear()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_documents_built_in_worker_processes_for_a_backend_with_nothing_to_prepare_are_whole():
    # Elasticsearch prepares nothing (BaseSearchBackend.prepare returns None): its documents
    # cross the pipe whole, each field as one process builds it.
    from search.backends.base import BaseSearchBackend

    factories.guide(title="居住证签注", high_frequency=True)
    factories.policy(title="关于居住证的通知")
    prepare = BaseSearchBackend("plain", {}).prepare
    in_one = [doc for chunk in public_documents(jobs=1) for doc in chunk]
    in_two = [
        doc for chunk in public_documents(jobs=2, chunk_size=1, prepare=prepare) for doc in chunk
    ]
    assert len(in_one) == 2
    assert sorted(in_two, key=lambda doc: doc.page_id) == sorted(
        in_one, key=lambda doc: doc.page_id
    )
    assert all(doc.prepared is None for doc in in_two)


def test_a_page_unpublished_while_a_rebuild_has_it_in_hand_is_not_in_the_new_index(
    monkeypatch,
):
    # The race: the rebuild reads a page, the page is unpublished and its removal runs, then
    # the rebuild writes what it read. The new index must still not hold it.
    from search import index, sources

    kept = factories.guide(title="居住证签注")
    withdrawn = factories.guide(title="居住证申领")
    read_everything = sources.public_documents

    def documents_then_unpublish(**kwargs):
        chunks = list(read_everything(**kwargs))
        withdrawn.unpublish()
        index.sync([withdrawn.pk])
        yield from chunks

    monkeypatch.setattr(sources, "public_documents", documents_then_unpublish)
    assert sum(index.rebuild(get_search_backend())) == 2
    assert indexed() == {kept.pk}
    assert found("居住证") == ["居住证签注"]


def test_a_guide_document_carries_every_element_a_visitor_searches_by():
    guide = factories.guide(title="有限责任公司设立", popular_names="开公司、办执照")
    doc = documents_for([guide.pk])[guide.pk]
    assert "开公司" in doc.keywords and "办执照" in doc.keywords
    assert guide.implementation_code in doc.keywords
    assert "自然人独资设立" in doc.keywords  # a handling situation
    assert guide.department.name in doc.keywords
    assert "企业设立登记申请书" in doc.materials
    assert "名称争议处理" in doc.body  # a special step
    assert doc.department == guide.department.code
    assert "zero_visit" in doc.flags and doc.high_frequency and doc.boost > 1
    assert {"kgs", "bzz"} <= {key for key, _ in doc.suggest_keys}  # 开公司, 办执照 as initials


def test_index_updates_have_their_own_queue_so_pdf_renders_never_delay_them(
    django_capture_on_commit_callbacks, settings
):
    from django_q.conf import Conf
    from django_q.models import OrmQ

    with django_capture_on_commit_callbacks(execute=True):
        factories.guide(title="二手车交易登记")  # also queues its PDF and its department's book
    queues = {}
    for entry in OrmQ.objects.all():
        queues.setdefault(entry.key, []).append(entry.task["func"])
    assert set(queues[settings.SEARCH_TASK_QUEUE]) == {"search.tasks.sync_pages"}
    assert "search.tasks.sync_pages" not in queues[Conf.CLUSTER_NAME]
    assert "publications.tasks.render_guide_pdf" in queues[Conf.CLUSTER_NAME]
    # `Q_CLUSTER_NAME=search manage.py qcluster` is the worker of that queue.
    assert settings.SEARCH_TASK_QUEUE in settings.Q_CLUSTER["ALT_CLUSTERS"]

"""/healthz: what docker-compose and a load balancer poll. It answers without a page lookup,
reaches the database, and is never cached."""


def test_health_check_answers_ok_from_the_database(client, db, django_assert_max_num_queries):
    # Its own SELECT 1, and at most the page cache's content version (cms/caching).
    with django_assert_max_num_queries(2):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]

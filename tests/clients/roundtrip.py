"""A client generated from tweepee's OpenAPI document, used as an app would:
list, filter across a relation, page by cursor, create, change, delete.
Every answer must parse into the generated typed models.

Usage: PYTHONPATH=<generated client> python3 roundtrip.py BASE_URL USER PASSWORD
"""

import sys
from urllib.parse import parse_qs, urlsplit

from rest_api_client import Client
from rest_api_client.api.default import (
    message_create,
    message_delete,
    message_list,
    message_retrieve,
    message_update,
)
from rest_api_client.models import (
    Error,
    ListMeta,
    Message,
    MessageDeleteResponse200,
    MessageInput,
    MessageList,
    MessageListOrderingItem,
    MessageListPagination,
    MessageNew,
    User,
)


def typed(value, model, what):
    """`value`, after checking that it parsed into `model`."""
    if not isinstance(value, model):
        sys.exit(f"{what}: expected a {model.__name__}, got {type(value).__name__}: {value!r}")
    return value


def page_of(client, what, **query):
    page = typed(message_list.sync(client=client, **query), MessageList, what)
    typed(page.meta, ListMeta, f"{what}: meta")
    for obj in page.objects:
        typed(obj, Message, f"{what}: object")
        typed(obj.user, User, f"{what}: included user")
    return page


def cursor_of(url):
    """The `cursor` of a `meta.next` URL, or None at the end."""
    return parse_qs(urlsplit(url).query, keep_blank_values=True)["cursor"][0] if url else None


def main():
    base, username, password = sys.argv[1:4]
    client = Client(base_url=base, raise_on_unexpected_status=True, httpx_args={"auth": (username, password)})

    page = page_of(client, "list", limit=5, ordering=[MessageListOrderingItem("-pub_date")])
    print(f"list: {len(page.objects)} of {page.meta.object_count} messages, newest {page.objects[0].pub_date}")

    page = page_of(client, "filter", user_username="user42", limit=100)
    names = {m.user.username for m in page.objects}
    if names != {"user42"} or page.meta.object_count != len(page.objects):
        sys.exit(f"filter on user__username: {page.meta.object_count} messages by {names}")
    print(f"filter user__username=user42: {len(page.objects)} messages, all by user42")

    page = page_of(client, "filter", id_in=[3, 1, 2], ordering=[MessageListOrderingItem("id")])
    ids = [m.id for m in page.objects]
    if ids != [1, 2, 3]:
        sys.exit(f"filter on id__in=[3, 1, 2]: ids {ids}")
    print(f"filter id__in=[3, 1, 2]: ids {ids}")

    page = page_of(client, "filter", id_between=[4, 6], ordering=[MessageListOrderingItem("id")])
    ids = [m.id for m in page.objects]
    if ids != [4, 5, 6]:
        sys.exit(f"filter on id__between=[4, 6]: ids {ids}")
    print(f"filter id__between=[4, 6]: ids {ids}")

    seen, pages, cursor = [], 0, ""
    while cursor is not None:
        page = page_of(client, "cursor", pagination=MessageListPagination(cursor=cursor), limit=100, ordering=[MessageListOrderingItem("id")])
        if page.meta.page is not None:
            sys.exit(f"a list paged by cursor has page {page.meta.page}")
        seen += [m.id for m in page.objects]
        pages += 1
        cursor = cursor_of(page.meta.next_)
    if len(seen) != len(set(seen)) or seen != sorted(seen):
        sys.exit("paging by cursor repeated or reordered rows")
    print(f"cursor: {len(seen)} messages in {pages} pages, each once, in order")

    created = typed(message_create.sync(client=client, body=MessageNew(content="from a generated client")), Message, "create")
    print(f"create: message {created.id} by {created.user.username}: {created.content!r}")

    changed = typed(
        message_update.sync(client=client, pk=created.id, body=MessageInput(content="changed by a generated client")),
        Message,
        "update",
    )
    if changed.id != created.id or changed.content != "changed by a generated client":
        sys.exit(f"update: {changed!r}")
    print(f"update: message {changed.id}: {changed.content!r}")

    deleted = typed(message_delete.sync(client=client, pk=created.id), MessageDeleteResponse200, "delete")
    if deleted.deleted != 1:
        sys.exit(f"delete: {deleted!r}")
    print(f"delete: {deleted.deleted} deleted")

    gone = typed(message_retrieve.sync(client=client, pk=created.id), Error, "retrieve after delete")
    print(f"retrieve after delete: {gone.error!r}")


if __name__ == "__main__":
    main()

"""The public site's cache: pages, API answers and PDF keys, never stale.

Everything cached for the public is keyed by one stamp, the site's content version
(`version.current()`), which changes whenever anything the public can see may have changed:
a page published, unpublished, moved, deleted or made private, a snippet or setting saved, a
search index update, and the next page expiry or midnight. A change therefore never has to
find the entries it makes stale: they are simply never asked for again, and age out.

That is coarse on purpose. A centre publishes tens of times a day; after each publish the
first visitor of each page renders it once (tens of milliseconds), and in between every
visitor is served from the cache. A dependency graph (which guides print this department?)
would let more entries survive an edit, and would be wrong the day someone forgets an edge.
"""

"""Informers (client-go's `tools/cache`): reflector, indexed store, shared informers, listers.

server ──list/watch──► Reflector ──► SharedInformer ──► Indexer (cache, read by Listers)
                                          └──► handlers (enqueue keys; never block)
"""

from pyk8s.client.informers.factory import SharedInformerFactory
from pyk8s.client.informers.informer import (
    EventHandlerFuncs,
    FilteringHandler,
    HandlerRegistration,
    ResourceEventHandler,
    SharedInformer,
)
from pyk8s.client.informers.lister import Lister, NamespaceLister, as_label_selector
from pyk8s.client.informers.reflector import ClientListerWatcher, ListerWatcher, Reflector, ReflectorStore
from pyk8s.client.informers.store import (
    NAMESPACE_INDEX,
    DeletedFinalStateUnknown,
    Indexer,
    IndexFunc,
    namespace_index,
    object_key,
    split_key,
)

__all__ = [
    "NAMESPACE_INDEX",
    "ClientListerWatcher",
    "DeletedFinalStateUnknown",
    "EventHandlerFuncs",
    "FilteringHandler",
    "HandlerRegistration",
    "IndexFunc",
    "Indexer",
    "Lister",
    "ListerWatcher",
    "NamespaceLister",
    "Reflector",
    "ReflectorStore",
    "ResourceEventHandler",
    "SharedInformer",
    "SharedInformerFactory",
    "as_label_selector",
    "namespace_index",
    "object_key",
    "split_key",
]

"""Every authorization rule, once, as hypothesis/h lays out its ``h/security/``.

- ``permission``: the permissions a view can declare (``Permission``);
- ``permission_map``: which predicates grant each permission, ``can`` and ``require``;
- ``predicates``: the rules, one line each, about a user and an object;
- ``facts``: what the predicates look up (roles, one's own reviews and posts), cached per request;
- ``loaders``: the checked loaders, which answer 404 to non-members so that another group's
  objects are indistinguishable from missing ones;
- ``queries``: the SQL twins of the predicates, for lists.

Import from the package itself: ``from supervision.permissions import can, require``.
"""

from supervision.permissions.facts import (
    forget_growth_shares,
    forget_posts,
    forget_relationship,
    forget_reviews,
    forget_roles,
    know_roles_of,
    role_in,
    roles_known,
)
from supervision.permissions.grants import grants_used
from supervision.permissions.loaders import (
    load_agreement,
    load_annotation,
    load_case,
    load_emergency_grant,
    load_evaluation,
    load_group,
    load_group_audit,
    load_growth_of,
    load_in_group,
    load_meeting,
    load_notification,
    load_own_credential,
    load_person,
    load_post,
    load_review,
    load_supervisor_evaluation,
    load_thread,
)
from supervision.permissions.permission import Permission, Predicate
from supervision.permissions.permission_map import PERMISSION_MAP, can, require
from supervision.permissions.queries import (
    reviewable_cases,
    supervisors_of,
    thread_audience,
    visible_agreements,
    visible_annotations,
    visible_cases,
    visible_evaluations,
    visible_groups,
    visible_meetings,
    visible_supervisor_evaluations,
    visible_threads,
)

__all__ = [
    "PERMISSION_MAP",
    "Permission",
    "Predicate",
    "can",
    "forget_growth_shares",
    "forget_posts",
    "forget_relationship",
    "forget_reviews",
    "forget_roles",
    "grants_used",
    "know_roles_of",
    "load_agreement",
    "load_annotation",
    "load_case",
    "load_emergency_grant",
    "load_evaluation",
    "load_group",
    "load_group_audit",
    "load_growth_of",
    "load_in_group",
    "load_meeting",
    "load_notification",
    "load_own_credential",
    "load_person",
    "load_post",
    "load_review",
    "load_supervisor_evaluation",
    "load_thread",
    "require",
    "reviewable_cases",
    "role_in",
    "roles_known",
    "supervisors_of",
    "thread_audience",
    "visible_agreements",
    "visible_annotations",
    "visible_cases",
    "visible_evaluations",
    "visible_groups",
    "visible_meetings",
    "visible_supervisor_evaluations",
    "visible_threads",
]

"""Build the demo workspace: its people and groups, then each feature's content, in order.

Every person, group and case here is invented for the demo. This module stands above the demo
content modules (cases, reviews, annotations, discussions), which know only ``DemoWorkspace``.
"""

from __future__ import annotations

from sqlalchemy import select

from supervision.demo.agreements import load_demo_agreements
from supervision.demo.annotations import load_demo_annotations
from supervision.demo.calibration import load_demo_calibration
from supervision.demo.cases import load_demo_cases
from supervision.demo.discussions import load_demo_discussions
from supervision.demo.evaluations import load_demo_evaluations
from supervision.demo.growth import load_demo_growth
from supervision.demo.meetings import load_demo_meetings
from supervision.demo.people import PEOPLE, DemoWorkspace, add_people_and_groups, demo_email
from supervision.demo.relationship import load_demo_relationship, load_latest_check_in
from supervision.demo.reviews import load_demo_reviews
from supervision.extensions import db
from supervision.models import User

__all__ = ["PEOPLE", "DemoWorkspace", "build_workspace", "demo_email", "workspace_exists"]


def workspace_exists() -> bool:
    return db.session.scalar(select(User.id).where(User.is_demo.is_(True)).limit(1)) is not None


def build_workspace() -> DemoWorkspace:
    """Add the demo people, groups and content (flushes, the caller commits)."""
    workspace = add_people_and_groups()
    cases = load_demo_cases(workspace)
    load_demo_relationship(workspace)  # earlier cases reviewed with the built-in rubric
    load_demo_growth(workspace)  # Amara's earlier, closed cases: before the rubric changes
    load_demo_reviews(workspace, cases)
    load_latest_check_in(workspace)  # after the review it follows
    load_demo_annotations(workspace, cases)  # after the reviews: a score cites an annotation
    load_demo_discussions(workspace)
    load_demo_calibration(workspace)  # the peer circle's calibration rounds
    load_demo_agreements(workspace)  # Tomás and Amara's agreement; licences on profiles
    load_demo_meetings(workspace)  # -- Meetings: after the cases they discuss
    load_demo_evaluations(workspace)  # evaluations: Amara's mid-term (signed) and final (due)
    return workspace

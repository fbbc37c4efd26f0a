"""Articles -> detected events -> folded into alerts -> outbox rows, one transaction per article.

Deciding is rules.dedupe's; this module only loads, calls and writes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import sqlite_utils

from bot.store import alerts as store
from bot.store.alerts import StoredArticle
from bot.subscriptions import recipients
from rules import dedupe
from rules.model import Event

log = logging.getLogger(__name__)

Detector = Callable[[StoredArticle], list[Event]]
NEAR_DUP_DAYS = 7


@dataclass(frozen=True)
class AlertChange:
    """What processing one article did to one alert, from the pipeline to its caller."""

    alert_id: int
    article_id: int
    change: str  # "created" | "updated" (visible change, version bumped) | "linked"
    alerting: bool
    version: int
    outbox: int = 0  # outbox rows created with the alert


def detect(article: StoredArticle) -> list[Event]:
    """The rule engine's events for a stored article."""
    from rules.detect import detect_events  # the rule pack loads on first use

    return detect_events(article.title, article.text, article.lang, article.day)


def process_articles(
    db: sqlite_utils.Database,
    article_ids: list[int],
    *,
    now: datetime,
    detector: Detector | None = None,
) -> list[AlertChange]:
    """Detect and fold the events of each article, each in its own transaction.

    An article the rules fail on stays unprocessed (retried after a restart) and does
    not hold back the others; a database error rolls back its article and is raised.
    """
    articles = store.load_articles(db, list(article_ids))
    changes: list[AlertChange] = []
    for article_id in dict.fromkeys(article_ids):
        article = articles.get(article_id)
        if article is None or article.processed:
            continue
        try:
            events = _distinct((detector or detect)(article))
        except Exception:
            log.exception("detection failed on article %s; left for a later run", article.id)
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another connection may have processed it since it was loaded.
            done = (
                [] if store.is_processed(db, article.id) else _process_one(db, article, events, now)
            )
            store.mark_processed(db, article.id)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        changes.extend(done)
    return changes


def process_pending(
    db: sqlite_utils.Database, *, now: datetime, detector: Detector | None = None
) -> list[AlertChange]:
    """Process every article not yet processed (new ones, or ones a crash interrupted)."""
    return process_articles(db, store.unprocessed_ids(db), now=now, detector=detector)


def _distinct(events: list[Event]) -> list[Event]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for e in events:
        key = (e.type, e.certainty, e.date, e.count, frozenset(e.people), e.place, e.period)
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def _process_one(
    db: sqlite_utils.Database, article: StoredArticle, events: list[Event], now: datetime
) -> list[AlertChange]:
    store.delete_events(db, article.id)  # a retried article must not double its events
    original = _reprint_of(db, article)
    if original is not None:
        return _fold_reprint(db, article, events, original, now)
    changes: list[AlertChange] = []
    used: set[int] = set()
    # Bare mentions last: they may fold into an occasion the article's other events name.
    for event in sorted(events, key=dedupe.is_bare):
        window = dedupe.candidate_window(event, article.day)
        candidates = store.candidate_alerts(db, event.type, window)
        decision = dedupe.decide(
            event,
            candidates,
            published=article.day,
            backlog=article.backlog,
            used=frozenset(used),
        )
        if decision.action == "merge":
            assert decision.alert_id is not None
            alert_id = decision.alert_id
            change = _fold(db, alert_id, article, decision.patch, now)
        else:
            alert_id = store.create_alert(db, event, article, alerting=decision.alerting, now=now)
            store.link_article(db, alert_id, article.id, now)
            sent = 0
            if decision.alerting:
                sent = store.insert_outbox(
                    db, alert_id, recipients(db, store.get_alert(db, alert_id)), now
                )
            change = AlertChange(alert_id, article.id, "created", decision.alerting, 1, sent)
        store.insert_event(db, article.id, event, alert_id, decision.to_json())
        used.add(alert_id)
        if change is not None:
            changes.append(change)
        log.debug("article %s: %s", article.id, json.dumps(decision.to_json()))
    return _merge_changes(changes)


def _fold(
    db: sqlite_utils.Database,
    alert_id: int,
    article: StoredArticle,
    patch: dict[str, object],
    now: datetime,
) -> AlertChange | None:
    """Add the article (and the event's new detail) to an existing alert."""
    new_link = store.link_article(db, alert_id, article.id, now)
    if not new_link and not patch:
        return None
    visible = bool(patch) or store.is_new_outlet(db, alert_id, article)
    store.update_alert(db, alert_id, patch, bump=visible, now=now)
    row = store.get_alert(db, alert_id)
    kind = "updated" if visible else "linked"
    return AlertChange(alert_id, article.id, kind, bool(row["alerting"]), row["version"])


def _reprint_of(db: sqlite_utils.Database, article: StoredArticle) -> int | None:
    """The id of an already processed article this one reprints (wire copy), if any."""
    mine = dedupe.fingerprint(article.title, article.text)
    since = article.published - timedelta(days=NEAR_DUP_DAYS)
    until = article.published + timedelta(days=1)
    leads = store.recent_leads(db, since, until, article.id, dedupe.LEAD_CHARS)
    for other_id, title, lead in leads:
        if dedupe.is_near_duplicate(mine, _fingerprint(title, lead)):
            return int(other_id)
    return None


@lru_cache(maxsize=4096)
def _fingerprint(title: str, lead: str) -> tuple[str, frozenset[str]]:
    return dedupe.fingerprint(title, lead)


def _fold_reprint(
    db: sqlite_utils.Database,
    article: StoredArticle,
    events: list[Event],
    original: int,
    now: datetime,
) -> list[AlertChange]:
    """A reprint joins its original's alerts, adding what detail its events bring; it opens
    no alert of its own."""
    alert_ids = store.alerts_of_article(db, original)
    changes = []
    for event in events:
        views = [store.alert_view(db, i) for i in alert_ids]
        decision = dedupe.decide(event, views, published=article.day, backlog=True)
        if decision.action == "merge" and decision.alert_id is not None:
            changes.append(_fold(db, decision.alert_id, article, decision.patch, now))
            store.insert_event(db, article.id, event, decision.alert_id, decision.to_json())
        else:
            why = {"action": "reprint", "of": original, "why": "a reprint opens no alert"}
            store.insert_event(db, article.id, event, None, why)
    changes.extend(_fold(db, alert_id, article, {}, now) for alert_id in alert_ids)
    return _merge_changes([c for c in changes if c is not None])


def _merge_changes(changes: list[AlertChange]) -> list[AlertChange]:
    """One change per alert: the last state, 'created' winning over later folds."""
    by_alert: dict[int, AlertChange] = {}
    for c in changes:
        prev = by_alert.get(c.alert_id)
        if prev is not None and prev.change == "created":
            c = AlertChange(c.alert_id, c.article_id, "created", c.alerting, c.version, prev.outbox)
        by_alert[c.alert_id] = c
    return list(by_alert.values())

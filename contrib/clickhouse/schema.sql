-- xt's events in ClickHouse: one row per event, as `xt-post -F rows`
-- sends them (INSERT INTO xt.events FORMAT JSONEachRow).  Loads into
-- Debian 12's clickhouse-server 18.16 and into current releases alike.
--
--   clickhouse-client --multiquery < schema.sql
--
-- timestamp is the event's own text, 2026-11-24T17:21:00.001Z: 18.16 has
-- no DateTime64 and its DateTime reads no ISO 8601 from JSON, so the
-- instant is derived here, once, at insert: time (the second, UTC) and
-- ms (its milliseconds).  Every release computes both the same way.
--
-- A batch is sent again when its answer was lost: the same sessionId
-- and the same eventIndex for every event.  ReplacingMergeTree keeps
-- one row per sorting key, and (sessionId, eventIndex) decides the key
-- (eventName and time are the same in both copies), so a resent batch
-- is one copy once parts merge; until then the report queries read
-- with FINAL.  (insert_deduplicate needs a Replicated table and a
-- byte-identical block; this needs neither.)
--
-- The sorting key starts with what the reports group by: name, time.

CREATE DATABASE IF NOT EXISTS xt;

CREATE TABLE IF NOT EXISTS xt.events
(
    anonymousId   String,
    projectHash   String,
    sessionId     String,
    platform      String,
    systemRelease String,
    arch          String,
    cpuCores      UInt16,
    cpuModel      String,
    cpuSpeed      UInt32,
    memoryTotal   UInt32,
    isDocker      UInt8,
    isWsl         UInt8,
    isCI          UInt8,
    ciName        Nullable(String),
    eventIndex    UInt32,
    eventName     String,
    timestamp     String,
    fields        String,
    time          DateTime('UTC') MATERIALIZED parseDateTimeBestEffort(timestamp),
    ms            UInt16 MATERIALIZED toUInt16(substring(timestamp, 21, 3))
)
ENGINE = ReplacingMergeTree
PARTITION BY toYYYYMM(time)
ORDER BY (eventName, time, sessionId, eventIndex);

-- xt's events on a ClickHouse cluster, for when one server is not enough:
-- run this on every server of the cluster xt_cluster (remote_servers in
-- the server's config; ON CLUSTER would need ZooKeeper for its DDL
-- queue, and this needs none).  Each shard keeps its rows in
-- xt.events_local, schema.sql's table under another name; xt.events is
-- a Distributed table over them, so xt's configuration and the report
-- queries stay exactly as they are for one server.
--
-- The sharding key is the sessionId: a batch, and any copy of it sent
-- again, land on one shard, where ReplacingMergeTree (and FINAL) find
-- the copies.  A key of rand() would put them on different shards and
-- both would be counted.
--
-- In the Distributed table time and ms are ALIAS columns, not
-- MATERIALIZED: a Distributed table computes its MATERIALIZED columns
-- and sends them on, and the shard's table refuses values for its own
-- (18.16: "Cannot insert column time, because it is MATERIALIZED").
-- As ALIAS they are left to each shard at insert and expand to the same
-- expression when read.
--
-- With replicas, make xt.events_local a ReplicatedReplacingMergeTree
-- with the same PARTITION BY and ORDER BY.

CREATE DATABASE IF NOT EXISTS xt;

CREATE TABLE IF NOT EXISTS xt.events_local
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
    time          DateTime('UTC') ALIAS parseDateTimeBestEffort(timestamp),
    ms            UInt16 ALIAS toUInt16(substring(timestamp, 21, 3))
)
ENGINE = Distributed(xt_cluster, xt, events_local, cityHash64(sessionId));

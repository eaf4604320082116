-- CI share of events, and the CI services: on CI an install's identity
-- lasts one job, so events, not installs, say how much runs there.
SELECT if(isCI = 1, ifNull(ciName, 'unknown CI'), 'not CI') AS ci,
    count() AS events,
    round(100 * events / (SELECT count() FROM xt.events FINAL), 1) AS percent
FROM xt.events FINAL
GROUP BY ci
ORDER BY events DESC, ci

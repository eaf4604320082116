-- Distinct installs (anonymousId) seen per week, weeks from Monday (UTC).
SELECT toMonday(time) AS week, uniqExact(anonymousId) AS installs
FROM xt.events
GROUP BY week
ORDER BY week

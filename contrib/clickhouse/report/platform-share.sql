-- Platform and architecture share, of distinct installs.
SELECT platform, arch, uniqExact(anonymousId) AS installs,
    round(100 * installs / (SELECT uniqExact(anonymousId) FROM xt.events), 1)
        AS percent
FROM xt.events
GROUP BY platform, arch
ORDER BY installs DESC, platform, arch

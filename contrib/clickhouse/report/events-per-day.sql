-- Events per name per day (UTC).  FINAL: a batch sent twice counts once
-- even before its parts merge.
SELECT toDate(time) AS day, eventName, count() AS events
FROM xt.events FINAL
GROUP BY day, eventName
ORDER BY day, eventName

-- The conversion funnel of one month, day by day and in total: parameters year, month, year, month.
-- Database: curated_<env>. Athena: PREPARE q FROM <this>; EXECUTE q USING 2025, 1, 2025, 1
SELECT CAST(date AS VARCHAR(10)) AS day,
       sessions, sessions_with_product_view, sessions_with_add_to_cart, sessions_with_checkout,
       sessions_with_purchase, conversion_rate
FROM conversion_funnel_daily
WHERE year = ? AND month = ?
UNION ALL
SELECT 'total', SUM(sessions), SUM(sessions_with_product_view), SUM(sessions_with_add_to_cart),
       SUM(sessions_with_checkout), SUM(sessions_with_purchase),
       CASE WHEN SUM(sessions) = 0 THEN NULL
            ELSE CAST(SUM(sessions_with_purchase) AS DOUBLE) / SUM(sessions) END
FROM conversion_funnel_daily
WHERE year = ? AND month = ?
ORDER BY day

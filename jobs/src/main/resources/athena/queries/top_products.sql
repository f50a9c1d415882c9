-- The ten products with the most revenue in one month: parameters year, month.
-- Database: curated_<env>. Athena: PREPARE q FROM <this>; EXECUTE q USING 2025, 1
SELECT product_id,
       SUM(orders) AS orders,
       SUM(units_sold) AS units_sold,
       SUM(revenue_usd) AS revenue_usd
FROM daily_product_performance
WHERE year = ? AND month = ?
GROUP BY product_id
ORDER BY revenue_usd DESC, product_id
LIMIT 10

-- Daily revenue by category (completed sales, USD) for one month: parameters year, month.
-- Database: curated_<env>. Athena: PREPARE q FROM <this>; EXECUTE q USING 2025, 1
SELECT year, month, day, category_name,
       COUNT(DISTINCT transaction_id) AS orders,
       SUM(net_amount_usd) AS revenue_usd
FROM sales
WHERE year = ? AND month = ? AND status = 'completed'
GROUP BY year, month, day, category_name
ORDER BY year, month, day, revenue_usd DESC, category_name

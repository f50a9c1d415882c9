-- Lifetime value of the customers who bought in one month, highest first: parameters year, month.
-- Database: curated_<env>. Athena: PREPARE q FROM <this>; EXECUTE q USING 2025, 1
SELECT c.customer_id, c.orders, c.lifetime_value_usd, c.avg_order_value_usd, c.first_order_ts, c.last_order_ts
FROM customer_summary c
WHERE c.customer_id IN (
  SELECT customer_id FROM sales WHERE year = ? AND month = ? AND status = 'completed')
ORDER BY c.lifetime_value_usd DESC, c.customer_id

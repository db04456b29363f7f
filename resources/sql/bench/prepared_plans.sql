-- How PostgreSQL's plan cache ran one of PlanSight's prepared statements on this connection (PostgreSQL 14+): how
-- many executions used a custom plan (planned for their values) and how many the generic one (planned once).
SELECT generic_plans, custom_plans
FROM pg_prepared_statements
WHERE name = $1

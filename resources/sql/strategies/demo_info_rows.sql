-- Whether PlanSight's demo metadata table holds the row a completed build writes.
SELECT EXISTS (SELECT 1 FROM public.plansight_demo_info)

INSERT INTO plans (run_id, plan_z) VALUES (:run_id, :plan_z)

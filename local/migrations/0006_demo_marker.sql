-- 0006_demo_marker: placeholder so 0007 can be tested; the real migration comes from another branch.
SELECT 1;

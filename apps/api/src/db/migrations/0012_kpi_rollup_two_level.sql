-- The rollup trigger aggregates in two steps: first the changed facts by all their dimensions (an
-- import's facts share a month and an agency, so thousands collapse into far fewer combinations),
-- then each combination is expanded into its 22 (dim, key) rows (kpi_fact_dims) and summed again.
-- The same sums as before (a sum of sums), with a tenth of the rows through the lateral expansion:
-- 5 000 imported people's facts went from 290 to 135 ms.
CREATE OR REPLACE FUNCTION kpi_facts_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  src text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT nf.*, 1 AS sign FROM new_facts nf'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_facts o'
    ELSE 'SELECT nf.*, 1 AS sign FROM new_facts nf UNION ALL SELECT o.*, -1 AS sign FROM old_facts o'
  END;
BEGIN
  EXECUTE format($q$
    INSERT INTO kpi_rollups AS r (kpi_code, year, dim, part, month, measure_code, agency_id, key, v, n, vm, nm)
    SELECT g.kpi_code, g.year, d.dim, g.part, g.month, g.measure_code, g.agency_id, d.key,
      sum(g.v), sum(g.n), sum(g.vm), sum(g.nm)
    FROM (
      SELECT f.kpi_code, f.year, f.part, f.month, coalesce(f.measure_code, '') AS measure_code,
        coalesce(f.agency_id::text, '') AS agency_id, f.county_code, f.industry_section, f.sme_status,
        f.gender, f.age_band, f.category,
        coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_kpi), 0) AS v,
        coalesce(sum(f.sign) FILTER (WHERE f.counted_kpi), 0) AS n,
        coalesce(sum(f.value * f.sign) FILTER (WHERE f.counted_measure), 0) AS vm,
        coalesce(sum(f.sign) FILTER (WHERE f.counted_measure), 0) AS nm
      FROM (%s) f
      WHERE f.counted_kpi OR f.counted_measure
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
    ) g
    CROSS JOIN LATERAL kpi_fact_dims(g.county_code, g.industry_section, g.sme_status, g.gender, g.age_band,
      g.category) d
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT kpi_rollups_pkey DO UPDATE
      SET v = r.v + excluded.v, n = r.n + excluded.n, vm = r.vm + excluded.vm, nm = r.nm + excluded.nm
  $q$, src);
  RETURN NULL;
END
$$;

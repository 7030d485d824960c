#!/usr/bin/env python3
"""Writes the Grafana dashboards of java-prometheus (java profile) into this folder.

Every query uses the dashboard variables: ${prefix} (the metric prefix, `java`, or your
PROMETHEUS_METRIC_PREFIX / namespace), $job, $instance, and $view on the per-view dashboard.
Latency panels read classic buckets and native histograms (prometheus.native-histograms=true),
whichever the series has. Run `python3 generate.py` after editing; the JSON is what users import.
"""
import json
import os

SEL = 'job=~"$job",instance=~"$instance"'
RI = '$__rate_interval'


def p(name):
    return '${prefix}_' + name


def target(expr, legend, ref):
    return {"datasource": {"type": "prometheus", "uid": "${datasource}"}, "expr": expr,
            "legendFormat": legend, "refId": ref, "range": True}


def panel(pid, title, exprs, x, y, w=12, h=8, unit="short", kind="timeseries", description=""):
    targets = [target(e, l, chr(ord('A') + i)) for i, (e, l) in enumerate(exprs)]
    return {"id": pid, "type": kind, "title": title, "description": description,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"x": x, "y": y, "w": w, "h": h},
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
            "targets": targets}


def quantiles(metric, sel, by, legend_prefix):
    """p50/p95/p99 from classic buckets, and p99 from a native histogram of the same name."""
    out = []
    for q in ("0.5", "0.95", "0.99"):
        out.append((f'histogram_quantile({q}, sum by ({by}le) (rate({p(metric)}_bucket{{{sel}}}[{RI}])))',
                    f'{legend_prefix}p{int(float(q) * 100)}'))
    out.append((f'histogram_quantile(0.99, sum{" by (" + by.rstrip(", ") + ")" if by else ""} (rate({p(metric)}{{{sel}}}[{RI}])))',
                f'{legend_prefix}p99 (native)'))
    return out


def variables(with_view):
    ds = {"name": "datasource", "type": "datasource", "query": "prometheus", "label": "Data source"}
    prefix = {"name": "prefix", "type": "textbox", "label": "Metric prefix",
              "query": "java", "current": {"text": "java", "value": "java"},
              "description": "java, django, or PROMETHEUS_METRIC_PREFIX / <namespace>_<prefix>"}

    def query_var(name, q, label):
        return {"name": name, "type": "query", "label": label,
                "datasource": {"type": "prometheus", "uid": "${datasource}"},
                "query": {"query": q, "refId": name}, "definition": q,
                "includeAll": True, "multi": True, "allValue": ".+", "refresh": 2, "sort": 1,
                "current": {"text": "All", "value": "$__all"}}
    out = [ds, prefix,
           query_var("job", f'label_values({p("http_requests_before_middlewares_total")}, job)', "Job"),
           query_var("instance", f'label_values({p("http_requests_before_middlewares_total")}{{job=~"$job"}}, instance)', "Instance")]
    if with_view:
        out.append(query_var("view", f'label_values({p("http_requests_total_by_view_transport_method_total")}{{{SEL}}}, view)', "View"))
    return out


def dashboard(uid, title, panels, with_view=False):
    return {"uid": uid, "title": title, "tags": ["java-prometheus"], "timezone": "browser",
            "schemaVersion": 39, "version": 1, "refresh": "30s", "editable": True,
            "time": {"from": "now-1h", "to": "now"},
            "templating": {"list": variables(with_view)}, "annotations": {"list": []},
            "panels": panels}


def overview():
    s = SEL
    panels = [
        panel(1, "Requests per second", [
            (f'sum by (job) (rate({p("http_requests_before_middlewares_total")}{{{s}}}[{RI}]))', "{{job}}")], 0, 0, unit="reqps"),
        panel(2, "Error ratio (4xx, 5xx)", [
            (f'sum by (job) (rate({p("http_responses_total_by_status_total")}{{{s},status=~"5.."}}[{RI}])) / sum by (job) (rate({p("http_responses_total_by_status_total")}{{{s}}}[{RI}]))', "{{job}} 5xx"),
            (f'sum by (job) (rate({p("http_responses_total_by_status_total")}{{{s},status=~"4.."}}[{RI}])) / sum by (job) (rate({p("http_responses_total_by_status_total")}{{{s}}}[{RI}]))', "{{job}} 4xx")], 12, 0, unit="percentunit"),
        panel(3, "Latency (views)", quantiles("http_requests_latency_seconds_by_view_method", s, "", ""), 0, 8, unit="s"),
        panel(4, "Exceptions by type", [
            (f'sum by (type) (rate({p("http_exceptions_total_by_type_total")}{{{s}}}[{RI}]))', "{{type}}")], 12, 8, unit="ops"),
        panel(5, "In-flight requests", [
            (f'sum by (instance) ({p("http_inflight_requests")}{{{s}}})', "{{instance}}")], 0, 16),
        panel(6, "Database queries per second", [
            (f'sum by (alias) (rate({p("db_execute_total")}{{{s}}}[{RI}]))', "{{alias}}")], 12, 16, unit="ops"),
        panel(7, "Database query latency", quantiles("db_query_duration_seconds", s, "alias, ", "{{alias}} "), 0, 24, unit="s"),
        panel(8, "Database errors by type", [
            (f'sum by (alias, type) (rate({p("db_errors_total")}{{{s}}}[{RI}]))', "{{alias}} {{type}}")], 12, 24, unit="ops"),
        panel(9, "Connection pool usage", [
            (f'sum by (instance, alias) ({p("db_pool_active_connections")}{{{s}}}) / sum by (instance, alias) ({p("db_pool_max_connections")}{{{s}}})', "{{instance}} {{alias}}")], 0, 32, unit="percentunit"),
        panel(10, "Connection timeouts", [
            (f'sum by (alias) (increase({p("db_pool_connection_timeouts_total")}{{{s}}}[{RI}]))', "{{alias}}")], 12, 32),
        panel(11, "Cache hit ratio", [
            (f'sum by (backend) (rate({p("cache_get_hits_total")}{{{s}}}[{RI}])) / sum by (backend) (rate({p("cache_get_total")}{{{s}}}[{RI}]))', "{{backend}}")], 0, 40, unit="percentunit"),
        panel(12, "Cache failures", [
            (f'sum by (backend) (rate({p("cache_get_fail_total")}{{{s}}}[{RI}]))', "{{backend}}")], 12, 40, unit="ops"),
        panel(13, "Model writes", [
            (f'sum by (model) (rate({p("model_inserts_total")}{{{s}}}[{RI}]))', "{{model}} inserts"),
            (f'sum by (model) (rate({p("model_updates_total")}{{{s}}}[{RI}]))', "{{model}} updates"),
            (f'sum by (model) (rate({p("model_deletes_total")}{{{s}}}[{RI}]))', "{{model}} deletes")], 0, 48, unit="ops"),
        panel(14, "Unapplied migrations", [
            (f'max by (instance, connection) ({p("migrations_unapplied")}{{{s}}})', "{{instance}} {{connection}}")], 12, 48, kind="stat"),
        panel(15, "Label overflow and instrumentation errors", [
            (f'sum by (family) (increase({p("label_overflow_total")}{{{s}}}[{RI}]))', "overflow {{family}}"),
            (f'sum by (component) (increase({p("instrumentation_errors_total")}{{{s}}}[{RI}])) or vector(0)', "errors {{component}}")], 0, 56,
              description="Observations routed to the overflow series (label value other), and exceptions inside the library's instrumentation (0 when none happened)."),
        panel(16, "JVM heap", [
            (f'sum by (instance) (jvm_memory_used_bytes{{{s},area="heap"}})', "{{instance}} used"),
            (f'sum by (instance) (jvm_memory_committed_bytes{{{s},area="heap"}})', "{{instance}} committed")], 12, 56, unit="bytes"),
        panel(17, "JVM GC time", [
            (f'sum by (instance, gc) (rate(jvm_gc_collection_seconds_sum{{{s}}}[{RI}]))', "{{instance}} {{gc}}")], 0, 64, unit="percentunit"),
        panel(18, "JVM threads", [
            (f'sum by (instance) (jvm_threads_current{{{s}}})', "{{instance}}")], 12, 64),
    ]
    return dashboard("java-prometheus-overview", "java-prometheus / Overview", panels)


def views():
    s = SEL + ',view=~"$view"'
    panels = [
        panel(1, "Requests per second by view", [
            (f'sum by (view, method) (rate({p("http_requests_total_by_view_transport_method_total")}{{{s}}}[{RI}]))', "{{view}} {{method}}")], 0, 0, w=24, unit="reqps"),
        panel(2, "Latency by view", quantiles("http_requests_latency_seconds_by_view_method", s, "view, ", "{{view}} "), 0, 8, w=24, unit="s"),
        panel(3, "Responses by status and view", [
            (f'sum by (view, status) (rate({p("http_responses_total_by_status_view_method_total")}{{{s}}}[{RI}]))', "{{view}} {{status}}")], 0, 16, unit="reqps"),
        panel(4, "Exceptions by view", [
            (f'sum by (view) (rate({p("http_exceptions_total_by_view_total")}{{{s}}}[{RI}]))', "{{view}}")], 12, 16, unit="ops"),
        panel(5, "Response body size (all views)", [
            (f'histogram_quantile(0.5, sum by (le) (rate({p("http_responses_body_total_bytes")}_bucket{{{SEL}}}[{RI}])))', "p50"),
            (f'histogram_quantile(0.99, sum by (le) (rate({p("http_responses_body_total_bytes")}_bucket{{{SEL}}}[{RI}])))', "p99")], 0, 24, unit="bytes"),
        panel(6, "Request body size (all views)", [
            (f'histogram_quantile(0.5, sum by (le) (rate({p("http_requests_body_total_bytes")}_bucket{{{SEL}}}[{RI}])))', "p50"),
            (f'histogram_quantile(0.99, sum by (le) (rate({p("http_requests_body_total_bytes")}_bucket{{{SEL}}}[{RI}])))', "p99")], 12, 24, unit="bytes"),
    ]
    return dashboard("java-prometheus-views", "java-prometheus / Requests by view", panels, with_view=True)


def data():
    s = SEL
    panels = [
        panel(1, "Queries per second by alias", [
            (f'sum by (alias, vendor) (rate({p("db_execute_total")}{{{s}}}[{RI}]))', "{{alias}} ({{vendor}})"),
            (f'sum by (alias, vendor) (rate({p("db_execute_many_total")}{{{s}}}[{RI}]))', "{{alias}} batches")], 0, 0, unit="ops"),
        panel(2, "Query latency by alias", quantiles("db_query_duration_seconds", s, "alias, ", "{{alias}} "), 12, 0, unit="s"),
        panel(3, "Errors by alias and type", [
            (f'sum by (alias, type) (rate({p("db_errors_total")}{{{s}}}[{RI}]))', "{{alias}} {{type}}")], 0, 8, unit="ops"),
        panel(4, "New connections and failures", [
            (f'sum by (alias) (rate({p("db_new_connections_total")}{{{s}}}[{RI}]))', "{{alias}} new"),
            (f'sum by (alias) (rate({p("db_new_connection_errors_total")}{{{s}}}[{RI}]))', "{{alias}} failed")], 12, 8, unit="ops"),
        panel(5, "Pool connections", [
            (f'sum by (alias) ({p("db_pool_active_connections")}{{{s}}})', "{{alias}} active"),
            (f'sum by (alias) ({p("db_pool_idle_connections")}{{{s}}})', "{{alias}} idle"),
            (f'sum by (alias) ({p("db_pool_pending_threads")}{{{s}}})', "{{alias}} waiting"),
            (f'sum by (alias) ({p("db_pool_max_connections")}{{{s}}})', "{{alias}} max")], 0, 16),
        panel(6, "Connection acquire time", quantiles("db_pool_connection_acquire_seconds", s, "alias, ", "{{alias}} ")[:3], 12, 16, unit="s"),
        panel(7, "Cache gets by backend", [
            (f'sum by (backend) (rate({p("cache_get_hits_total")}{{{s}}}[{RI}]))', "{{backend}} hits"),
            (f'sum by (backend) (rate({p("cache_get_misses_total")}{{{s}}}[{RI}]))', "{{backend}} misses"),
            (f'sum by (backend) (rate({p("cache_get_fail_total")}{{{s}}}[{RI}]))', "{{backend}} failures")], 0, 24, unit="ops"),
        panel(8, "Cache hit ratio by cache", [
            (f'sum by (backend, cache) (rate({p("cache_get_hits_total")}{{{s}}}[{RI}])) / sum by (backend, cache) (rate({p("cache_get_total")}{{{s}}}[{RI}]))', "{{backend}} {{cache}}")], 12, 24, unit="percentunit"),
    ]
    return dashboard("java-prometheus-data", "java-prometheus / Database and cache", panels)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    for name, d in (("overview", overview()), ("views", views()), ("database-and-cache", data())):
        with open(os.path.join(here, f"java-prometheus-{name}.json"), "w") as f:
            json.dump(d, f, indent=2)
            f.write("\n")

"""The metrics API (/api/v1/metrics/<module>): the overview cards' numbers for scripts and the
mobile clients, computed by the same query functions, in the caller's scope."""
from __future__ import annotations

from flask import Flask, jsonify, request

from dashboard import cache, context, queries, warehouse
from dashboard import period as periods
from dashboard import scope as scopes
from dashboard.config import Settings

METRICS_RULE = "/api/v1/metrics/<module>"


def init_app(server: Flask, settings: Settings) -> None:
    """Register the API routes (the guard in dashboard/auth.py has already signed the caller in)."""

    def metrics(module: str):
        """{"module", "org", "start", "end", "as_of", "metrics": {name: value}} or an error."""
        if not queries.has_summary(module):
            return jsonify(error=f"没有这个模块的指标：{module}"), 404
        try:
            own = context.own_scope(settings)
            scope = scopes.narrow(settings, own, request.args.get("org"))
            period = _period(request.args)
        except scopes.OutOfScope as exc:
            return jsonify(error=str(exc)), 403
        except periods.BadPeriod as exc:
            return jsonify(error=str(exc)), 400
        values = cache.summary(settings, module, scope, period)
        as_of = warehouse.as_of(settings)
        return jsonify(module=module, org=scope.code, start=period.start.isoformat(),
                       end=period.end.isoformat(), as_of=as_of.isoformat() if as_of else None,
                       metrics=values)

    server.add_url_rule(METRICS_RULE, "api_metrics", metrics, methods=["GET"])


def _period(args) -> periods.Period:
    """start and end (both or neither; neither means 本月)."""
    if not args.get("start") and not args.get("end"):
        return periods.preset(periods.DEFAULT_PRESET, periods.beijing_today())
    return periods.parse({"period": "custom", "start": args.get("start", ""),
                          "end": args.get("end", "")}, periods.beijing_today())

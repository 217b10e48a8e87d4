"""Generic Chinese error pages (and JSON for API calls) with no stack traces."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.audit import audit_denial
from core.exceptions import NotAllowed
from core.extensions import db
from core.transactions import is_locked


def _messages() -> dict[int, str]:
    return {
        400: _("请求无效，请返回上一页重试。"),
        403: _("您没有权限访问此页面。"),
        404: _("页面不存在，或您无权查看。"),
        405: _("不支持该请求方式。"),
        413: _("上传的文件过大。"),
        429: _("操作过于频繁，请稍后再试。"),
        500: _("服务器出错了，我们已记录此问题，请稍后再试。"),
    }


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


def _render(code: int, message: str | None = None):
    text = message or _messages().get(code, _("请求无法完成。"))
    if _wants_json():
        return jsonify(error=text, status=code), code
    return render_template("core/error.html", code=code, message=text), code


def register_error_handlers(app: Flask) -> None:
    """Map HTTP errors, CSRF failures and crashes to friendly pages."""

    @app.errorhandler(CSRFError)
    def _csrf(_error: CSRFError):
        return _render(400, _("表单已过期或来源无效（CSRF 校验失败），请刷新页面后重新提交。"))

    @app.errorhandler(NotAllowed)
    def _not_allowed(_error: NotAllowed):
        # A service refused the actor and no view mapped it: an audited 403, nothing committed.
        audit_denial(target=request.path, detail={"method": request.method})
        return _render(403)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        # Keep what the error says about the request (a 405's Allow, a 429's Retry-After).
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        body, code = _render(error.code or 500)
        return body, code, headers

    @app.errorhandler(Exception)
    def _crash(error: Exception):
        db.session.rollback()
        if is_locked(error):  # other writers held the database past every retry: a clear "try again"
            app.logger.warning("Database stayed locked: %s %s", request.method, request.path)
            body, code = _render(503, _("系统繁忙，请稍后再试。"))
            return body, code, {"Retry-After": "5"}
        app.logger.exception("Unhandled error", exc_info=error)
        return _render(InternalServerError.code)

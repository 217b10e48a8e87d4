"""The synonym list form (safety department)."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import Length

from core.forms import Form


class SynonymsForm(Form):
    text = TextAreaField(_l("同义词"), validators=[Length(max=20000)],
                         description=_l("每行一组，组内的词用“/”分隔，例如：有限空间 / 受限空间"))

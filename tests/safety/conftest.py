"""Fixtures for safety tests: the induction plant (tests/training) plus a cleared press operator and a
crane operator whose position requires a certificate."""

from __future__ import annotations

import io

import pytest

from core.extensions import db
from tests.conftest import NOW
from tests.training.induction.conftest import make_exam, new_hire, plant, programmes, sit_exam  # noqa: F401


def png_bytes(exif: bytes | None = None, fmt: str = "JPEG") -> bytes:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    buffer = io.BytesIO()
    if exif is not None:
        image.save(buffer, fmt, exif=exif)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def gps_jpeg() -> bytes:
    """A JPEG carrying an EXIF GPS block (31.2°N 121.5°E) and a camera model."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x0110] = "PhoneCam X"  # Model
    exif[0x8825] = {1: "N", 2: (31.0, 12.0, 0.0), 3: "E", 4: (121.0, 30.0, 0.0)}  # GPSInfo
    return png_bytes(exif.tobytes())


@pytest.fixture
def cleared(plant, programmes, make_employee, sit_exam):  # noqa: F811  (fixtures imported above)
    """make cleared(position=..., team=...) -> an employee whose induction is complete and signed."""
    from org.signals import employee_created
    from training.induction.models import Level
    from training.induction.services.progress import current_induction
    from training.induction.services.study import acknowledge_study, study_continuously
    from training.induction.services.trainer import sign_off

    def make(position, team=None, name="老员工"):
        from datetime import timedelta

        person = make_employee(team=team or plant["team1"], position=position, name=name,
                               hire_date=(NOW - timedelta(days=10)).date())
        employee_created.send(person, now=NOW)
        induction = current_induction(person)
        at = NOW - timedelta(days=9)
        for level in induction.levels:
            for item in level.items:
                study_continuously(person, item.document, at, 60, item=item)
                acknowledge_study(person, item.document, at + timedelta(hours=9))
                at += timedelta(hours=10)
            level.required_hours = 0
            if level.level == Level.DEPARTMENT:
                sign_off(plant["officer"], level, at)
            elif level.level == Level.TEAM:
                sign_off((team or plant["team1"]).leader, level, at)
        db.session.commit()
        return person

    return make

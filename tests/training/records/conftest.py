from tests.training.induction.conftest import make_exam, new_hire, plant, programmes, sit_exam  # noqa: F401

"""The course as data: pydantic models of lessons, questions, exams and labs."""

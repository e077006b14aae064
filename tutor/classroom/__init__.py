"""Classroom and autograder outputs (JUnit XML for CI and LMS graders)."""

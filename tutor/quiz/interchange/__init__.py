"""Quizzes in and out of learning platforms: GIFT import and export, Moodle XML export."""

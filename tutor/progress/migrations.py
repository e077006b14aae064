"""Schema versions of the progress store. Append new steps; never edit a released one."""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: lessons read
    """
    CREATE TABLE lessons (
        lesson_id    TEXT PRIMARY KEY,
        status       TEXT NOT NULL CHECK (status IN ('started', 'done')),
        opened_at    REAL NOT NULL,
        completed_at REAL
    );
    """,
    # 2: quiz attempts, every answer as it is given, spaced-repetition cards
    """
    CREATE TABLE attempts (
        id           INTEGER PRIMARY KEY,
        quiz_id      TEXT NOT NULL,
        mode         TEXT NOT NULL CHECK (mode IN ('practice', 'exam', 'review', 'cram')),
        seed         INTEGER NOT NULL,
        question_ids TEXT NOT NULL,
        time_limit   REAL,
        started_at   REAL NOT NULL,
        time_used    REAL NOT NULL DEFAULT 0,
        finished_at  REAL,
        state        TEXT NOT NULL DEFAULT '{}',
        result       TEXT
    );
    CREATE INDEX attempts_quiz ON attempts (quiz_id, started_at);
    CREATE TABLE answers (
        attempt_id  INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
        question_id TEXT NOT NULL,
        response    TEXT NOT NULL,
        score       REAL,
        correct     INTEGER,
        flagged     INTEGER NOT NULL DEFAULT 0,
        answered_at REAL NOT NULL,
        PRIMARY KEY (attempt_id, question_id)
    );
    CREATE INDEX answers_question ON answers (question_id, answered_at);
    CREATE TABLE cards (
        question_id TEXT PRIMARY KEY,
        card        TEXT NOT NULL,
        due         REAL NOT NULL,
        last_review REAL,
        last_correct INTEGER
    );
    CREATE INDEX cards_due ON cards (due);
    """,
    # 3: lab steps and check results
    """
    CREATE TABLE lab_steps (
        lab_id     TEXT NOT NULL,
        step_id    TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('pending', 'passed')),
        hints_seen INTEGER NOT NULL DEFAULT 0,
        solution_seen INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL,
        PRIMARY KEY (lab_id, step_id)
    );
    CREATE TABLE check_runs (
        id       INTEGER PRIMARY KEY,
        lab_id   TEXT NOT NULL,
        step_id  TEXT NOT NULL,
        at       REAL NOT NULL,
        passed   INTEGER NOT NULL,
        results  TEXT NOT NULL
    );
    CREATE INDEX check_runs_lab ON check_runs (lab_id, step_id, at);
    CREATE TABLE lab_attempts (
        lab_id     TEXT PRIMARY KEY,
        attempt_id TEXT NOT NULL,
        params     TEXT NOT NULL DEFAULT '{}',
        started_at REAL NOT NULL,
        completed_at REAL
    );
    """,
    # 4: completions are history (a reset or a new attempt keeps them); check runs per attempt
    """
    CREATE TABLE lab_completions (
        lab_id       TEXT NOT NULL,
        attempt_id   TEXT NOT NULL,
        started_at   REAL NOT NULL,
        completed_at REAL NOT NULL,
        PRIMARY KEY (lab_id, attempt_id)
    );
    INSERT INTO lab_completions (lab_id, attempt_id, started_at, completed_at)
        SELECT lab_id, attempt_id, started_at, completed_at FROM lab_attempts
        WHERE completed_at IS NOT NULL;
    ALTER TABLE check_runs ADD COLUMN attempt_id TEXT;
    UPDATE check_runs SET attempt_id = (
        SELECT attempt_id FROM lab_attempts WHERE lab_attempts.lab_id = check_runs.lab_id
    );
    """,
    # 5: recall ratings and the review log (daily limits), practice flags, settings,
    # bookmarks and notes per lesson section
    """
    ALTER TABLE answers ADD COLUMN seconds REAL;
    ALTER TABLE answers ADD COLUMN rating INTEGER;
    UPDATE answers SET rating = 0 WHERE score IS NOT NULL;
    CREATE TABLE reviews (
        id           INTEGER PRIMARY KEY,
        question_id  TEXT NOT NULL,
        rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        rated_by     TEXT NOT NULL CHECK (rated_by IN ('learner', 'derived')),
        state_before INTEGER NOT NULL,
        at           REAL NOT NULL,
        seconds      REAL,
        due          REAL NOT NULL
    );
    CREATE INDEX reviews_at ON reviews (at);
    CREATE INDEX reviews_question ON reviews (question_id, at);
    CREATE TABLE flags (
        question_id TEXT PRIMARY KEY,
        flagged     INTEGER NOT NULL,
        at          REAL NOT NULL
    );
    CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE bookmarks (
        lesson_id  TEXT NOT NULL,
        section    TEXT NOT NULL,
        title      TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        PRIMARY KEY (lesson_id, section)
    );
    CREATE TABLE notes (
        id         INTEGER PRIMARY KEY,
        lesson_id  TEXT NOT NULL,
        section    TEXT NOT NULL,
        text       TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX notes_lesson ON notes (lesson_id, section);
    """,
    # 6: facts about the store itself, such as its id (written once, never changed)
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]

LATEST = len(MIGRATIONS)

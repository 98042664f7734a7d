"""Test-wide settings: every test, and every chapter kernel nbval starts, runs the smoke profile."""

import os

os.environ.setdefault("GAN_BOOK_PROFILE", "smoke")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

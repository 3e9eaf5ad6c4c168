"""Tests that drive a real browser (Chromium) and the Nu HTML Checker."""

"""The Train page: a network learns from random weights while you watch."""

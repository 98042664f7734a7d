"""Companion code for the GAN book."""

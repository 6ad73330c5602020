"""Notifications: what is sent to whom (policy), the outbox message, rendering and delivery."""

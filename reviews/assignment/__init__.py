"""Conflict-free assignment of experts to applications (专家分配与回避), as a min-cost flow."""

from reviews.assignment.solver import Infeasible, Paper, Problem, Proposal, Reviewer, propose

__all__ = ["Infeasible", "Paper", "Problem", "Proposal", "Reviewer", "propose"]

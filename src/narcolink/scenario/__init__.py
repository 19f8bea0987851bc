"""A seeded synthetic world with ground truth: two agencies' views of a MED MAX-style
syndicate, a precursor-diversion scheme and a much larger legitimate background.

``generate(profile, seed, scale, out)`` writes it; ``docs/scenario.md`` describes the world,
the noise model and the ground truth. It imports nothing of narcolink's upper layers (only
``narcolink.exc`` and the packaged lexicons): generating a world needs no store and no
services, and its files load through the same import path as a user's data.
"""

from narcolink.scenario.generate import MANIFEST, Summary, generate
from narcolink.scenario.profile import Profile, load_profile, profile_names

__all__ = ["MANIFEST", "Profile", "Summary", "generate", "load_profile", "profile_names"]

# Spot checks are added as documents are verified by reading.

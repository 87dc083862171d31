"""Cost-benefit analysis after R-109/21 and the plus-minus method for non-priced effects."""

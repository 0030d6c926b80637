"""Person-job matching engine: arrays in, scores and allocations out. Pure Python + numpy (+ OR-Tools for the
min-cost flow); no Django ORM here. Selectors build the rows, services store what the engine returns."""

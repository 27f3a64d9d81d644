-- creating a global while loading
helper = 1

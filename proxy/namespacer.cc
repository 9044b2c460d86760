// placeholder (namespacer)

from .cli.warm import main

main()

from send_plan.cli import main

main()

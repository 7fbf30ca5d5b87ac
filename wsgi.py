from supervision import create_app

app = create_app()
